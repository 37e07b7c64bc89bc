using System.Net;
using System.Net.Http.Json;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

public sealed class UserManagementTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        var workspace = await _platform.CreateWorkspaceAsync("team");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task ChangeRoles_EndsTheUsersSessionsAtOnce_AndTheNewRoleAppliesAtNextSignIn()
    {
        var (member, id) = await InviteAsync("member@team.example", WorkspaceRoles.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/v1/users")).StatusCode);

        using var changed = await _owner.PutJsonAsync($"/api/v1/users/{id}/roles", new ChangeUserRolesRequest([WorkspaceRoles.Auditor]));

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.GetAsync("/api/v1/me")).StatusCode);
        var again = await SignInAsync("member@team.example");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task ChangeRoles_AdminCannotGrantOwner_AndTheLastOwnerStays()
    {
        var (admin, _) = await InviteAsync("admin@team.example", WorkspaceRoles.Admin);
        var (_, memberId) = await InviteAsync("someone@team.example", WorkspaceRoles.Member);
        using var me = await _owner.GetAsync("/api/v1/me");
        var ownerId = (await me.Content.ReadFromJsonAsync<CurrentUser>(TestContext.Current.CancellationToken))!.Id;

        using var byAdmin = await admin.PutJsonAsync($"/api/v1/users/{memberId}/roles", new ChangeUserRolesRequest([WorkspaceRoles.Owner]));
        using var lastOwner = await _owner.PutJsonAsync($"/api/v1/users/{ownerId}/roles", new ChangeUserRolesRequest([WorkspaceRoles.Admin]));
        using var unknown = await _owner.PutJsonAsync($"/api/v1/users/{memberId}/roles", new ChangeUserRolesRequest(["Wizard"]));

        Assert.Equal(HttpStatusCode.BadRequest, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, lastOwner.StatusCode);
        Assert.Contains("at least one Owner", await lastOwner.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_NeedsTheCurrentOne_AndSignsOutEveryOtherSession()
    {
        var (laptop, _) = await InviteAsync("pat@team.example", WorkspaceRoles.Member);
        var phone = await SignInAsync("pat@team.example");

        using var wrong = await laptop.SubmitAsync("/account/password", BrowserSession.Form(("currentPassword", "not the password"), ("newPassword", "another long passphrase")));
        using var changed = await laptop.SubmitAsync("/account/password", BrowserSession.Form(("currentPassword", Password), ("newPassword", "another long passphrase")));

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/v1/me")).StatusCode);
    }

    private async Task<(BrowserSession Session, Guid Id)> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
        var session = await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, Password);
        using var me = await session.GetAsync("/api/v1/me");
        return (session, (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Id);
    }

    private Task<BrowserSession> SignInAsync(string email) => BrowserSession.SignInAsync(_host, "team.localhost", email, Password);
}
