using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using static OnTrackio.Tests.Identity.MfaSteps;

namespace OnTrackio.Tests.Identity;

/// <summary>The workspace's MFA policy: who may change it, and what it does to people without a second factor.</summary>
public sealed class MfaPolicyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync(time: _time);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Policy_WithNoRowYet_ReadsAsOptional_AndAChangeIsAudited()
    {
        var (workspace, owner) = await OwnerAsync("audited");
        using var page = await owner.GetAsync("/settings/security");
        Assert.Matches("value=\"Optional\"[^>]*checked", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Admins")));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(["Admins"], await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT mfa_requirement FROM security_policy"));
        Assert.Equal(["MfaPolicyChanged|Optional → Admins"], await AuditAsync(workspace.DatabaseName, "MfaPolicyChanged"));
    }

    [Fact]
    public async Task Auditor_ReadsThePolicy_ButCannotChangeIt_AndAMemberCannotRead()
    {
        var (workspace, owner) = await OwnerAsync("readonly");
        var auditor = await InviteAsync(_host, owner, "auditor@readonly.example", WorkspaceRoles.Auditor);
        var member = await InviteAsync(_host, owner, "member@readonly.example", WorkspaceRoles.Member);

        using var read = await auditor.GetAsync("/settings/security");
        using var change = await auditor.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone")));
        using var memberRead = await member.GetAsync("/settings/security");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, memberRead.StatusCode);
        Assert.Empty(await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT mfa_requirement FROM security_policy"));
        Assert.Empty(await AuditAsync(workspace.DatabaseName, "MfaPolicyChanged"));
    }

    [Fact]
    public async Task PolicyEveryone_SendsPeopleWithoutASecondFactorToSetUp_AndTheApiAnswers403()
    {
        var (_, owner) = await OwnerAsync("everyone");
        var member = await InviteAsync(_host, owner, "member@everyone.example", WorkspaceRoles.Member);
        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone")));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        using var home = await member.GetAsync("/account/sessions?x=1");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/mfa/setup?returnUrl=%2Faccount%2Fsessions%3Fx%3D1", home.Headers.Location?.OriginalString);

        using var api = await member.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        var problem = await api.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        Assert.Equal(RequireMfaEnrolmentMiddleware.ProblemType, problem!.Type);
        Assert.Equal("MFA enrolment required", problem.Title);

        // The way out stays open: setting up, and signing out.
        using var setup = await member.GetAsync("/account/mfa/setup?returnUrl=%2Faccount%2Fsessions");
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains("requires a second factor", await setup.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        await EnrolAsync(member, _time);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(member));
        using var after = await member.GetAsync("/account/sessions");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        // The owner who set the policy has no second factor either.
        using var ownersPage = await owner.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, ownersPage.StatusCode);
    }

    [Fact]
    public async Task PolicyAdmins_CoversOwnersAndAdmins_NotMembers()
    {
        var (_, owner) = await OwnerAsync("admins");
        var admin = await InviteAsync(_host, owner, "admin@admins.example", WorkspaceRoles.Admin);
        var member = await InviteAsync(_host, owner, "member@admins.example", WorkspaceRoles.Member);

        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Admins")));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await MeAsync(owner));
        Assert.Equal(HttpStatusCode.Forbidden, await MeAsync(admin));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(member));
    }

    [Fact]
    public async Task SignedInWithASecondFactor_UnderPolicyEveryone_GoesAnywhere()
    {
        var (_, owner) = await OwnerAsync("compliant");
        var enrolled = await EnrolAsync(owner, _time);
        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone")));

        var session = await PasswordStepAsync(_host, "compliant.localhost", "owner@compliant.example");
        using var passed = await SubmitCodeAsync(session, NextCode(enrolled.Secret, _time));

        Assert.Equal(HttpStatusCode.OK, await MeAsync(session));
        using var home = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task RemovingTheOnlySecondFactor_WhileThePolicyRequiresIt_IsRefused()
    {
        var (workspace, owner) = await OwnerAsync("keep");
        await EnrolAsync(owner, _time);
        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone")));

        using var removed = await owner.SubmitAsync("/account/mfa/remove", BrowserSession.Form());

        Assert.Equal(HttpStatusCode.Conflict, removed.StatusCode);
        Assert.Contains("role=\"alert\"", await removed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(1L, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM totp_authenticators")).Single());
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Owner)> OwnerAsync(string slug)
    {
        var workspace = await _platform.CreateWorkspaceAsync(slug);
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
