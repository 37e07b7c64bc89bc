using System.Net;
using System.Net.Http.Json;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

/// <summary>The settings page on a host where http:// authorities are not allowed (the platform default).</summary>
public sealed class SsoSettingsTests : IAsyncLifetime
{
    private const string Secret = "s3cret-from-the-provider's-console";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("settings");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, SsoEnvironment.Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Configure_ByTheOwner_SavesTheSettingsAndKeepsTheSecretEncrypted()
    {
        using var saved = await SaveAsync(_owner);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var row = (await Query<string>("SELECT enabled::text || ' ' || authority || ' ' || client_id || ' ' || allowed_email_domains || ' ' || revision FROM sso_configuration")).Single();
        Assert.Equal("true https://idp.example/tenant/ ontrackio settings.example example.org 1", row);
        var stored = (await Query<string>("SELECT value_encrypted FROM workspace_secrets WHERE name = 'sso.client_secret'")).Single();
        Assert.NotEqual(Secret, stored);
        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
        Assert.StartsWith("otx1.", stored, StringComparison.Ordinal);
        var page = await (await _owner.GetAsync("/settings/sso")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("set; leave blank to keep it", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        var audit = await Query<string>("SELECT subject FROM audit_events WHERE type = 'SsoConfigurationChanged'");
        Assert.Contains("client secret replaced", Assert.Single(audit), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, audit.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_BlankSecret_KeepsTheStoredOne()
    {
        await SaveAsync(_owner);
        var before = (await Query<string>("SELECT value_encrypted FROM workspace_secrets")).Single();

        using var again = await SaveAsync(_owner, f => f["ClientSecret"] = string.Empty);

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(before, (await Query<string>("SELECT value_encrypted FROM workspace_secrets")).Single());
        Assert.Equal(2, (await Query<int>("SELECT revision FROM sso_configuration")).Single());
    }

    [Theory]
    [InlineData("Authority", "http://idp.example/", "must use https://")]
    [InlineData("Authority", "http://127.0.0.1:5000/", "must use https://")]
    [InlineData("Authority", "not a url", "absolute https:// URL")]
    [InlineData("AllowedEmailDomains", "example.com not_a_domain!", "is not an email domain")]
    [InlineData("AllowedEmailDomains", "", "at least one allowed email domain")]
    [InlineData("ClientId", "", "Enter the client id")]
    [InlineData("RequireSso", "true", "Choose a break-glass Owner")]
    public async Task Configure_BadInput_IsRefusedWithTheReason_AndTheFormKeepsWhatWasTyped(string field, string value, string reason)
    {
        using var refused = await SaveAsync(_owner, f => f[field] = value);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(reason, page, StringComparison.Ordinal);
        Assert.Contains("The client secret you typed was not saved", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, page, StringComparison.Ordinal);
        Assert.Contains(field == "ClientId" ? "value=\"\"" : "value=\"ontrackio\"", page, StringComparison.Ordinal);
        Assert.Empty(await Query<string>("SELECT authority FROM sso_configuration"));
        Assert.Empty(await Query<string>("SELECT name FROM workspace_secrets"));
    }

    [Fact]
    public async Task Configure_BreakGlassThatIsNotAnOwner_IsRefused()
    {
        var (_, adminId) = await InviteAsync("admin@settings.example", WorkspaceRoles.Admin);

        using var refused = await SaveAsync(_owner, f =>
        {
            f["RequireSso"] = "true";
            f["BreakGlassUserId"] = adminId.ToString();
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("must be an Owner", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configure_FromAFormSavedMeanwhileByAnother_IsRefused()
    {
        await SaveAsync(_owner);

        using var stale = await SaveAsync(_owner, f => f["Revision"] = "0");

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Contains("changed the single sign-on settings meanwhile", await stale.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(1, (await Query<int>("SELECT revision FROM sso_configuration")).Single());
    }

    [Fact]
    public async Task Auditor_CanReadTheSettingsButNotChangeThem_AndAMemberCannotRead()
    {
        await SaveAsync(_owner);
        var (auditor, _) = await InviteAsync("auditor@settings.example", WorkspaceRoles.Auditor);
        var (member, _) = await InviteAsync("member@settings.example", WorkspaceRoles.Member);

        using var read = await auditor.GetAsync("/settings/sso");
        using var change = await SaveAsync(auditor, f => f["Enabled"] = "false");
        using var memberRead = await member.GetAsync("/settings/sso");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("https://idp.example/tenant/", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal(["true 1"], await Query<string>("SELECT enabled::text || ' ' || revision FROM sso_configuration"));
        Assert.Equal(HttpStatusCode.Forbidden, memberRead.StatusCode);
    }

    [Fact]
    public async Task Settings_Anonymous_GoesToSignIn()
    {
        using var response = await new BrowserSession(_host, "settings.localhost").GetAsync("/settings/sso");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SaveAsync(BrowserSession session, Action<Dictionary<string, string>>? change = null)
    {
        var fields = BrowserSession.Form(
            ("Enabled", "true"),
            ("Authority", "https://idp.example/tenant/"),
            ("ClientId", "ontrackio"),
            ("ClientSecret", Secret),
            ("AllowedEmailDomains", "Settings.example, @example.org"),
            ("Revision", (await SsoEnvironment.RevisionAsync(session)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        change?.Invoke(fields);
        return await session.SubmitAsync("/settings/sso", fields);
    }

    private async Task<(BrowserSession Session, Guid Id)> InviteAsync(string email, string role)
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
        var session = await BrowserSession.AcceptInvitationAsync(_host, issued!.Link, SsoEnvironment.Password);
        return (session, await SsoEnvironment.UserIdAsync(session));
    }

    private Task<List<T>> Query<T>(string sql) => TestCluster.A.QueryAsync<T>(_workspace.DatabaseName, sql);
}
