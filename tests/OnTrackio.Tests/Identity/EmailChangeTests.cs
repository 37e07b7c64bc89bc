using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

public sealed class EmailChangeTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private const string SharedEmail = "it@shared.example";
    private readonly TestSmtpServer _smtp = new();
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: _smtp.Configure);
        _host = await _platform.StartWebHostAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task ChangeEmail_ConfirmedFromTheNewAddress_ChangesAddressAndUserName_AndEndsOtherSessions()
    {
        var (workspace, laptop) = await AcceptedAsync("acme", SharedEmail);
        var phone = await BrowserSession.SignInAsync(_host, "acme.localhost", SharedEmail, Password);

        var link = await RequestChangeAsync(laptop, "new@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync(new Uri(link).PathAndQuery)).StatusCode);
        Assert.Equal(SharedEmail, await EmailOfAsync(laptop));

        using var confirmed = await laptop.SubmitAsync(new Uri(link).PathAndQuery, FormOf(link));

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("new@acme.example", await EmailOfAsync(laptop));
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        await BrowserSession.SignInAsync(_host, "acme.localhost", "new@acme.example", Password);
        Assert.Equal(HttpStatusCode.BadRequest, (await TrySignInAsync("acme.localhost", SharedEmail)).StatusCode);
        await _smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == SharedEmail && m.Subject!.Contains("was changed", StringComparison.Ordinal));
        using var reused = await new BrowserSession(_host, "acme.localhost").SubmitAsync(new Uri(link).PathAndQuery, FormOf(link));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        var audit = await AuditAsync(workspace);
        Assert.Contains($"EmailChanged|{SharedEmail} → new@acme.example", audit);
        Assert.All(audit, row => Assert.DoesNotContain(Query(link, "token"), row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeEmail_WrongPassword_IsRefused_SendsNothing_AndKeepsWhatWasTyped()
    {
        var (_, session) = await AcceptedAsync("acme", SharedEmail);

        using var refused = await session.SubmitAsync(
            "/account/profile?handler=Email", BrowserSession.Form(("newEmail", "new@acme.example"), ("currentPassword", "not the password")), tokenFrom: "/account/profile");
        var html = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\">Your current password is not right.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"new@acme.example\"", html, StringComparison.Ordinal);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(_smtp.Messages, m => m.To.ToString().Contains("new@acme.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeEmail_LinkUsedOnAnotherWorkspacesHost_DoesNothing_EvenWithTheSameAddressThere()
    {
        var (acme, acmeSession) = await AcceptedAsync("acme", SharedEmail);
        var (beta, betaSession) = await AcceptedAsync("beta", SharedEmail);
        var link = await RequestChangeAsync(acmeSession, "moved@shared.example");
        var onBeta = new BrowserSession(_host, "beta.localhost");

        using var page = await onBeta.GetAsync(new Uri(link).PathAndQuery);
        using var confirmed = await onBeta.SubmitAsync(new Uri(link).PathAndQuery, FormOf(link));
        using var asBetaUser = await betaSession.SubmitAsync(new Uri(link).PathAndQuery, FormOf(link));

        Assert.Equal(HttpStatusCode.BadRequest, confirmed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, asBetaUser.StatusCode);
        Assert.Equal(SharedEmail, await EmailOfAsync(betaSession));
        Assert.Equal(SharedEmail, await EmailOfAsync(acmeSession));
        Assert.DoesNotContain(await AuditAsync(beta), row => row.StartsWith("EmailChanged", StringComparison.Ordinal));
        Assert.DoesNotContain(await AuditAsync(acme), row => row.StartsWith("EmailChanged", StringComparison.Ordinal));

        // The link is still good where it belongs, so the refusal above was the host's doing, not a spent token.
        using var home = await acmeSession.SubmitAsync(new Uri(link).PathAndQuery, FormOf(link));
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("moved@shared.example", await EmailOfAsync(acmeSession));
        Assert.Equal(SharedEmail, await EmailOfAsync(betaSession));
    }

    [Fact]
    public async Task ChangeDisplayName_IsSaved_AndAudited()
    {
        var (workspace, session) = await AcceptedAsync("acme", SharedEmail);

        using var saved = await session.SubmitAsync("/account/profile?handler=Name", BrowserSession.Form(("displayName", "  Ada Lovelace ")), tokenFrom: "/account/profile");
        using var tooLong = await session.SubmitAsync("/account/profile?handler=Name", BrowserSession.Form(("displayName", new string('x', 201))), tokenFrom: "/account/profile");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("value=\"Ada Lovelace\"", await (await session.GetAsync("/account/profile")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("ProfileChanged|display name: (none) → Ada Lovelace", await AuditAsync(workspace));
    }

    /// <summary>Asks for the change from the profile page and returns the link that reached the new address over SMTP.</summary>
    private async Task<string> RequestChangeAsync(BrowserSession session, string newEmail)
    {
        using var requested = await session.SubmitAsync(
            "/account/profile?handler=Email", BrowserSession.Form(("newEmail", newEmail), ("currentPassword", Password)), tokenFrom: "/account/profile");
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        MimeMessage message = await _smtp.WaitForAsync(m => m.To.Mailboxes.Single().Address == newEmail);
        return message.TextBody!.Split('\n').Single(line => line.Contains("/account/confirm-email?", StringComparison.Ordinal)).Trim();
    }

    private static Dictionary<string, string> FormOf(string link) =>
        BrowserSession.Form(("user", Query(link, "user")), ("email", Query(link, "email")), ("token", Query(link, "token")));

    private static string Query(string link, string name) => System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)[name]!;

    private static async Task<string?> EmailOfAsync(BrowserSession session)
    {
        using var me = await session.GetAsync("/api/v1/me");
        return me.StatusCode == HttpStatusCode.OK ? (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Email : null;
    }

    private Task<HttpResponseMessage> TrySignInAsync(string host, string email) =>
        new BrowserSession(_host, host).SubmitAsync("/account/sign-in", BrowserSession.Form(("email", email), ("password", Password)));

    private static Task<List<string>> AuditAsync(CreatedWorkspace workspace) =>
        TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT type || '|' || coalesce(subject, '') FROM audit_events ORDER BY id");

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug, string ownerEmail)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, ownerEmail), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
