using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

public sealed partial class UserAdministrationTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("team");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task UsersPage_ListsEmailNameRolesLockAndMfa()
    {
        var (_, memberId) = await InviteAsync("member@team.example", WorkspaceRoles.Member);
        var (_, auditorId) = await InviteAsync("auditor@team.example", WorkspaceRoles.Auditor);
        await SetTotpAsync(memberId, confirmed: true);
        await SetTotpAsync(auditorId, confirmed: false);

        var html = await ReadAsync(await _owner.GetAsync("/settings/users"));
        using var api = await _owner.GetAsync("/api/v1/users");
        var users = (await api.Content.ReadFromJsonAsync<List<UserSummary>>(TestContext.Current.CancellationToken))!;

        Assert.Contains("member@team.example", html, StringComparison.Ordinal);
        Assert.Contains("<td>Auditor</td>", html, StringComparison.Ordinal);
        Assert.True(users.Single(u => u.Id == memberId).MfaEnrolled);
        Assert.False(users.Single(u => u.Id == auditorId).MfaEnrolled, "an enrolment waiting for its first code is not MFA");
        Assert.Equal([WorkspaceRoles.Owner], users.Single(u => u.Email == "owner@team.example").Roles);
        Assert.All(users, u => Assert.False(u.LockedOut));
    }

    [Fact]
    public async Task Lock_EndsEverySessionAndRefusesSignIn_UntilUnlocked()
    {
        var (member, memberId) = await InviteAsync("member@team.example", WorkspaceRoles.Member);
        var phone = await SignInAsync("member@team.example");

        using var locked = await _owner.SubmitAsync($"/settings/users/{memberId}?handler=Lock", BrowserSession.Form(), tokenFrom: $"/settings/users/{memberId}");

        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Locked, (await TrySignInAsync("member@team.example")).StatusCode);
        Assert.Contains("locked: cannot sign in", await ReadAsync(await _owner.GetAsync($"/settings/users/{memberId}")), StringComparison.Ordinal);

        using var unlocked = await _owner.SubmitAsync($"/settings/users/{memberId}?handler=Unlock", BrowserSession.Form(), tokenFrom: $"/settings/users/{memberId}");

        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        await SignInAsync("member@team.example");
        Assert.Equal(["UserLocked", "LockedOut", "UserUnlocked", "SignedIn"], (await AuditAsync())[^4..]);
    }

    [Fact]
    public async Task LockApi_RefusesSelf_OwnerByAdmin_AndUnknownIds_WithProblems()
    {
        var (admin, adminId) = await InviteAsync("admin@team.example", WorkspaceRoles.Admin);
        var ownerId = await IdOfAsync(_owner);

        using var self = await admin.PostJsonAsync($"/api/v1/users/{adminId}/lock", new { });
        using var owner = await admin.PostJsonAsync($"/api/v1/users/{ownerId}/lock", new { });
        using var unknown = await admin.PostJsonAsync($"/api/v1/users/{Guid.CreateVersion7()}/lock", new { });
        using var byOwner = await _owner.PostJsonAsync($"/api/v1/users/{adminId}/lock", new { });

        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal("application/problem+json", self.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, owner.StatusCode);
        Assert.Contains("Only an Owner", await ReadAsync(owner), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Auditor_SeesUsersAndInvitations_ButEveryChangeIsForbidden()
    {
        var (auditor, _) = await InviteAsync("auditor@team.example", WorkspaceRoles.Auditor);
        var (member, memberId) = await InviteAsync("member@team.example", WorkspaceRoles.Member);

        var page = await ReadAsync(await auditor.GetAsync($"/settings/users/{memberId}"));
        using var lockPage = await auditor.SubmitAsync($"/settings/users/{memberId}?handler=Lock", BrowserSession.Form(), tokenFrom: $"/settings/users/{memberId}");
        using var rolesPage = await auditor.SubmitAsync($"/settings/users/{memberId}?handler=Roles", BrowserSession.Form(("roles", WorkspaceRoles.Owner)), tokenFrom: $"/settings/users/{memberId}");
        using var lockApi = await auditor.PostJsonAsync($"/api/v1/users/{memberId}/lock", new { });

        Assert.Contains("member@team.example", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Lock", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, lockPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rolesPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, lockApi.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/settings/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/api/v1/me")).StatusCode);
        Assert.DoesNotContain("UserLocked", await AuditAsync());
    }

    [Fact]
    public async Task RolesForm_Refused_SaysWhyAndKeepsWhatWasTicked()
    {
        var (admin, _) = await InviteAsync("admin@team.example", WorkspaceRoles.Admin);
        var ownerId = await IdOfAsync(_owner);

        using var refused = await admin.SubmitAsync($"/settings/users/{ownerId}?handler=Roles", BrowserSession.Form(("roles", WorkspaceRoles.Auditor)), tokenFrom: $"/settings/users/{ownerId}");
        var html = await ReadAsync(refused);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\">Only an Owner can grant or remove the Owner role.", html, StringComparison.Ordinal);
        Assert.Matches("value=\"Auditor\" checked=\"checked\"", html);
        Assert.DoesNotMatch("value=\"Owner\" checked=\"checked\"", html);
    }

    [Fact]
    public async Task RolesForm_ChangesRoles_AndEndsTheUsersSessions()
    {
        var (member, memberId) = await InviteAsync("member@team.example", WorkspaceRoles.Member);

        using var saved = await _owner.SubmitAsync(
            $"/settings/users/{memberId}?handler=Roles", BrowserSession.Form(("roles", WorkspaceRoles.AssetManager)), tokenFrom: $"/settings/users/{memberId}");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await member.GetAsync("/api/v1/me")).StatusCode);
        Assert.Contains("<dd>AssetManager</dd>", await ReadAsync(await _owner.GetAsync($"/settings/users/{memberId}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeInvitation_MakesTheLinkWorthless_AndIsAudited()
    {
        using var invited = await _owner.SubmitAsync(
            "/settings/invitations?handler=Invite", BrowserSession.Form(("email", "late@team.example"), ("role", WorkspaceRoles.Member)), tokenFrom: "/settings/invitations");
        var link = LinkIn(await ReadAsync(invited));
        using var listed = await _owner.GetAsync("/api/v1/invitations");
        var pending = Assert.Single((await listed.Content.ReadFromJsonAsync<List<PendingInvitation>>(TestContext.Current.CancellationToken))!);

        using var revoked = await _owner.SubmitAsync($"/settings/invitations?handler=Revoke&id={pending.Id}", BrowserSession.Form(), tokenFrom: "/settings/invitations");
        var visitor = new BrowserSession(_host, "team.localhost");
        using var again = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/invitations/{pending.Id}");

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.Equal("late@team.example", pending.Email);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync(new Uri(link).AbsolutePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.SubmitAsync(
            new Uri(link).AbsolutePath, BrowserSession.Form(("password", Password)), tokenFrom: "/account/sign-in")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("late@team.example", await ReadAsync(await _owner.GetAsync("/settings/invitations")), StringComparison.Ordinal);
        Assert.Equal(["InvitationAccepted", "InvitationIssued", "InvitationRevoked"], await AuditAsync());
    }

    [Fact]
    public async Task InviteForm_BadInput_RedisplaysWhatWasTyped()
    {
        using var refused = await _owner.SubmitAsync(
            "/settings/invitations?handler=Invite", BrowserSession.Form(("email", "not-an-address"), ("role", WorkspaceRoles.Auditor)), tokenFrom: "/settings/invitations");
        var html = await ReadAsync(refused);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"not-an-address\"", html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Auditor\" selected=\"selected\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Member_CannotOpenTheAdministrationPages()
    {
        var (member, _) = await InviteAsync("member@team.example", WorkspaceRoles.Member);

        using var users = await member.GetAsync("/settings/users");
        using var invitations = await member.GetAsync("/settings/invitations");

        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Contains("role=\"alert\"", await ReadAsync(users), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, invitations.StatusCode);
    }

    [Fact]
    public async Task EmbeddedEngine_ListsLocksAndRevokes()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("solo");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        using (var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("member@solo.example", WorkspaceRoles.Member)))
        {
            await BrowserSession.AcceptInvitationAsync(host, (await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken))!.Link, Password);
        }

        using (await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("late@solo.example", WorkspaceRoles.Member)))
        {
        }

        using var users = await owner.GetAsync("/api/v1/users");
        var member = (await users.Content.ReadFromJsonAsync<List<UserSummary>>(TestContext.Current.CancellationToken))!.Single(u => u.Email == "member@solo.example");
        using var locked = await owner.PostJsonAsync($"/api/v1/users/{member.Id}/lock", new { });
        using var invitations = await owner.GetAsync("/api/v1/invitations");
        var pending = Assert.Single((await invitations.Content.ReadFromJsonAsync<List<PendingInvitation>>(TestContext.Current.CancellationToken))!);
        using var revoked = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/invitations/{pending.Id}");

        Assert.Equal(HttpStatusCode.NoContent, locked.StatusCode);
        Assert.Contains("<td>locked</td>", await ReadAsync(await owner.GetAsync("/settings/users")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Contains("No invitation is waiting", await ReadAsync(await owner.GetAsync("/settings/invitations")), StringComparison.Ordinal);
    }

    private async Task<(BrowserSession Session, Guid Id)> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
        var session = await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, Password);
        return (session, await IdOfAsync(session));
    }

    private static async Task<Guid> IdOfAsync(BrowserSession session)
    {
        using var me = await session.GetAsync("/api/v1/me");
        return (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Id;
    }

    private Task<BrowserSession> SignInAsync(string email) => BrowserSession.SignInAsync(_host, "team.localhost", email, Password);

    private Task<HttpResponseMessage> TrySignInAsync(string email) =>
        new BrowserSession(_host, "team.localhost").SubmitAsync("/account/sign-in", BrowserSession.Form(("email", email), ("password", Password)));

    private Task SetTotpAsync(Guid userId, bool confirmed) =>
        TestCluster.A.ExecuteAsync(
            _workspace.DatabaseName,
            $"INSERT INTO totp_authenticators (user_id, secret_encrypted, created_at, confirmed_at) VALUES ('{userId}', 'otx1.1.not-read', now(), {(confirmed ? "now()" : "NULL")})");

    private async Task<List<string>> AuditAsync() =>
        await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT type FROM audit_events ORDER BY id");

    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return await response.Content.ReadAsStringAsync();
        }
    }

    private static string LinkIn(string html) => InvitationUrl().Match(html).Value;

    [GeneratedRegex("http://[a-z0-9.]+(:[0-9]+)?/invitations/[A-Za-z0-9_-]+")]
    private static partial Regex InvitationUrl();
}
