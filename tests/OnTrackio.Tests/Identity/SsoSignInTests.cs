using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

/// <summary>One platform, web host and OpenID Connect provider for the SSO sign-in tests; each test has its own workspaces.</summary>
public partial class SsoEnvironment : IAsyncLifetime
{
    public const string Password = "a long enough passphrase";

    public TestPlatform Platform { get; private set; } = null!;

    public TestWebHost Host { get; private set; } = null!;

    public TestOidcProvider Provider { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Provider = await TestOidcProvider.StartAsync();
        Platform = await CreatePlatformAsync();
        Host = await Platform.StartWebHostAsync(c => c["OnTrackio:Sso:AllowLoopbackHttpAuthority"] = "true");
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Provider.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected virtual Task<TestPlatform> CreatePlatformAsync() => TestPlatform.PostgresAsync();

    /// <summary>A workspace with its Owner signed in, registered at the provider as a redirect URI.</summary>
    public async Task<(CreatedWorkspace Workspace, BrowserSession Owner)> WorkspaceAsync(string slug)
    {
        var workspace = await Platform.CreateWorkspaceAsync(slug);
        Provider.AllowRedirectUri($"http://{slug}.localhost/account/sso/callback-oidc");
        return (workspace, await BrowserSession.AcceptInvitationAsync(Host, workspace.InvitationLink, Password));
    }

    public async Task<(BrowserSession Session, Guid Id)> InviteAsync(BrowserSession owner, string email, string role)
    {
        using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
        var session = await BrowserSession.AcceptInvitationAsync(Host, issued!.Link, Password);
        return (session, await UserIdAsync(session));
    }

    public static async Task<Guid> UserIdAsync(BrowserSession session)
    {
        using var me = await session.GetAsync("/api/v1/me");
        return (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Id;
    }

    /// <summary>Saves the settings form as <paramref name="admin"/>: SSO on with this provider, the workspace's own domain, JIT off.</summary>
    public async Task<HttpResponseMessage> ConfigureAsync(BrowserSession admin, Action<Dictionary<string, string>>? change = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var fields = BrowserSession.Form(
            ("Enabled", "true"),
            ("Authority", Provider.Issuer.AbsoluteUri),
            ("ClientId", TestOidcProvider.ClientId),
            ("ClientSecret", TestOidcProvider.ClientSecret),
            ("AllowedEmailDomains", admin.Hostname.Replace(".localhost", ".example", StringComparison.Ordinal)),
            ("Revision", (await RevisionAsync(admin)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        change?.Invoke(fields);
        var response = await admin.SubmitAsync("/settings/sso", fields);
        return response;
    }

    public static async Task<int> RevisionAsync(BrowserSession session)
    {
        using var page = await session.GetAsync("/settings/sso");
        var match = RevisionField().Match(await page.Content.ReadAsStringAsync());
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Presses "Sign in with single sign-on" and returns the provider's authorization request it redirects to.</summary>
    public static async Task<Uri> StartAsync(BrowserSession session, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var response = await session.SubmitAsync("/account/sso/start", BrowserSession.Form(("returnUrl", returnUrl ?? string.Empty)), tokenFrom: "/account/sign-in");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"start: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    /// <summary>The whole flow in one browser: start, sign in at the provider, callback; returns the completion page's answer.</summary>
    public async Task<HttpResponseMessage> SignInWithSsoAsync(BrowserSession session, TestOidcUser user, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var callback = await Provider.AuthorizeAsync(await StartAsync(session, returnUrl), user);
        Assert.Equal($"{session.Hostname}", callback.Host);
        using var validated = await session.GetAsync(callback.PathAndQuery);
        Assert.True(validated.StatusCode == HttpStatusCode.Redirect, $"callback: {(int)validated.StatusCode} {await validated.Content.ReadAsStringAsync()}");
        return await session.GetAsync(validated.Headers.Location!.OriginalString);
    }

    public static async Task<List<T>> QueryAsync<T>(CreatedWorkspace workspace, string sql) =>
        await TestCluster.A.QueryAsync<T>(workspace!.DatabaseName, sql);

    [GeneratedRegex("name=\"Revision\" value=\"(\\d+)\"")]
    private static partial Regex RevisionField();
}

/// <summary>The same, on the embedded engine (SQLite), which the README's first command runs.</summary>
public sealed class EmbeddedSsoEnvironment : SsoEnvironment
{
    protected override Task<TestPlatform> CreatePlatformAsync() => TestPlatform.SqliteAsync();
}

public sealed class SsoEmbeddedTests(EmbeddedSsoEnvironment sso) : IClassFixture<EmbeddedSsoEnvironment>
{
    [Fact]
    public async Task SsoSignIn_OnTheEmbeddedEngine_LinksAnExistingUserAndCreatesANewOne()
    {
        var (_, owner) = await sso.WorkspaceAsync("embedded");
        using var saved = await sso.ConfigureAsync(owner, f => f["JustInTimeCreation"] = "true");
        var existing = new BrowserSession(sso.Host, "embedded.localhost");
        var newcomer = new BrowserSession(sso.Host, "embedded.localhost");

        using var linked = await sso.SignInWithSsoAsync(existing, new TestOidcUser("subject-owner", "owner@embedded.example"));
        using var created = await sso.SignInWithSsoAsync(newcomer, new TestOidcUser("subject-new", "new@embedded.example"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(await SsoEnvironment.UserIdAsync(owner), await SsoEnvironment.UserIdAsync(existing));
        using var me = await newcomer.GetAsync("/api/v1/me");
        Assert.Equal([WorkspaceRoles.Member], (await me.Content.ReadFromJsonAsync<CurrentUser>(TestContext.Current.CancellationToken))!.Roles);
    }
}

public sealed class SsoSignInTests(SsoEnvironment sso) : IClassFixture<SsoEnvironment>
{
    [Fact]
    public async Task SsoSignIn_ExistingUser_SignsInLinksTheLoginAndFollowsALocalReturnUrl()
    {
        var (workspace, owner) = await sso.WorkspaceAsync("linked");
        Assert.Equal(HttpStatusCode.Redirect, (await sso.ConfigureAsync(owner)).StatusCode);
        var browser = new BrowserSession(sso.Host, "linked.localhost");
        var tokensBefore = sso.Provider.TokenRequests;

        var authorize = await SsoEnvironment.StartAsync(browser, "/account/sessions");
        var callback = await sso.Provider.AuthorizeAsync(authorize, new TestOidcUser("subject-linked", "owner@linked.example"));
        using var validated = await browser.GetAsync(callback.PathAndQuery);
        using var completed = await browser.GetAsync(validated.Headers.Location!.OriginalString);

        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("form_post", authorize.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        Assert.Equal("/account/sessions", completed.Headers.Location?.OriginalString);
        Assert.Equal(tokensBefore + 1, sso.Provider.TokenRequests);
        using var me = await browser.GetAsync("/api/v1/me");
        Assert.Equal("owner@linked.example", (await me.Content.ReadFromJsonAsync<CurrentUser>(TestContext.Current.CancellationToken))!.Email);
        Assert.Equal(await SsoEnvironment.UserIdAsync(owner), await SsoEnvironment.UserIdAsync(browser));
        var logins = await SsoEnvironment.QueryAsync<string>(workspace, "SELECT login_provider || ' ' || provider_key FROM user_logins");
        Assert.Equal([$"sso:{sso.Provider.Issuer.AbsoluteUri} subject-linked"], logins);
        Assert.Contains("SsoSignIn", await SsoEnvironment.QueryAsync<string>(workspace, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task SsoSignIn_OfAPersonWithAnAuthenticatorApp_AsksForTheirCodeBeforeTheSessionStarts()
    {
        var (workspace, owner) = await sso.WorkspaceAsync("second");
        var enrolled = await MfaSteps.EnrolAsync(owner, TimeProvider.System);
        Assert.Equal(HttpStatusCode.Redirect, (await sso.ConfigureAsync(owner)).StatusCode);
        var browser = new BrowserSession(sso.Host, "second.localhost");

        using var completed = await sso.SignInWithSsoAsync(browser, new TestOidcUser("subject-second", "owner@second.example"), "/account/sessions");

        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        Assert.StartsWith("/account/mfa", completed.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await MfaSteps.MeAsync(browser));

        // The enrolment spent this step's code; the app's next one is inside the accepted window.
        using var passed = await MfaSteps.SubmitCodeAsync(browser, MfaSteps.CodeAt(enrolled.Secret, TimeProvider.System, steps: 1));

        Assert.Equal(HttpStatusCode.Redirect, passed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MfaSteps.MeAsync(browser));
        Assert.Equal(await SsoEnvironment.UserIdAsync(owner), await SsoEnvironment.UserIdAsync(browser));
        Assert.Contains("MfaChallengePassed", await SsoEnvironment.QueryAsync<string>(workspace, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task ChangedSettings_AreUsedAtTheNextSignIn()
    {
        var (_, owner) = await sso.WorkspaceAsync("rotated");
        await sso.ConfigureAsync(owner);
        var browser = new BrowserSession(sso.Host, "rotated.localhost");
        var before = await SsoEnvironment.StartAsync(browser);

        using var saved = await sso.ConfigureAsync(owner, f => f["ClientId"] = "another-client");
        var after = await SsoEnvironment.StartAsync(browser);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains($"client_id={TestOidcProvider.ClientId}&", before.Query, StringComparison.Ordinal);
        Assert.Contains("client_id=another-client&", after.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SsoSignIn_ReturnUrlToAnotherHost_GoesHomeInstead()
    {
        var (_, owner) = await sso.WorkspaceAsync("homeward");
        await sso.ConfigureAsync(owner);

        using var completed = await sso.SignInWithSsoAsync(
            new BrowserSession(sso.Host, "homeward.localhost"), new TestOidcUser("subject-home", "owner@homeward.example"), "//evil.example/steal");

        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        Assert.Equal("/", completed.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SsoSignIn_UnknownEmailWithJustInTimeCreation_CreatesAMember()
    {
        var (workspace, owner) = await sso.WorkspaceAsync("jit");
        await sso.ConfigureAsync(owner, f => f["JustInTimeCreation"] = "true");
        var browser = new BrowserSession(sso.Host, "jit.localhost");

        using var completed = await sso.SignInWithSsoAsync(browser, new TestOidcUser("subject-new", "newcomer@jit.example"));

        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        using var me = await browser.GetAsync("/api/v1/me");
        var user = await me.Content.ReadFromJsonAsync<CurrentUser>(TestContext.Current.CancellationToken);
        Assert.Equal("newcomer@jit.example", user!.Email);
        Assert.Equal([WorkspaceRoles.Member], user.Roles);
        Assert.Contains("SsoUserCreated", await SsoEnvironment.QueryAsync<string>(workspace, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task SsoSignIn_UnknownEmailWithoutJustInTimeCreation_IsRefusedAndCreatesNoOne()
    {
        var (workspace, owner) = await sso.WorkspaceAsync("nojit");
        await sso.ConfigureAsync(owner);
        var browser = new BrowserSession(sso.Host, "nojit.localhost");

        using var completed = await sso.SignInWithSsoAsync(browser, new TestOidcUser("subject-stranger", "stranger@nojit.example"));

        await AssertRefusedAsync(completed, browser, "Ask an administrator to invite you");
        Assert.Equal(1, (await SsoEnvironment.QueryAsync<long>(workspace, "SELECT count(*) FROM users")).Single());
        Assert.Contains("SsoSignInRefused", await SsoEnvironment.QueryAsync<string>(workspace, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task SsoSignIn_EmailOutsideTheAllowedDomains_IsRefusedEvenWithJustInTimeCreation()
    {
        var (workspace, owner) = await sso.WorkspaceAsync("domains");
        await sso.ConfigureAsync(owner, f => f["JustInTimeCreation"] = "true");
        var browser = new BrowserSession(sso.Host, "domains.localhost");

        using var completed = await sso.SignInWithSsoAsync(browser, new TestOidcUser("subject-outsider", "someone@elsewhere.example"));

        await AssertRefusedAsync(completed, browser, "may not sign in to this workspace");
        Assert.Equal(1, (await SsoEnvironment.QueryAsync<long>(workspace, "SELECT count(*) FROM users")).Single());
    }

    [Fact]
    public async Task SsoSignIn_UnverifiedEmail_IsRefused_ButAnAbsentClaimIsNoObjection()
    {
        var (_, owner) = await sso.WorkspaceAsync("verify");
        await sso.ConfigureAsync(owner);
        var unverified = new BrowserSession(sso.Host, "verify.localhost");
        var silent = new BrowserSession(sso.Host, "verify.localhost");

        using var refused = await sso.SignInWithSsoAsync(unverified, new TestOidcUser("subject-verify", "owner@verify.example", EmailVerified: false));
        using var accepted = await sso.SignInWithSsoAsync(silent, new TestOidcUser("subject-verify", "owner@verify.example", EmailVerified: null));

        await AssertRefusedAsync(refused, unverified, "has not verified");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task SsoSignIn_SameEmailFromAnotherSubject_IsRefusedOnceLinked()
    {
        var (_, owner) = await sso.WorkspaceAsync("takeover");
        await sso.ConfigureAsync(owner);
        using var first = await sso.SignInWithSsoAsync(new BrowserSession(sso.Host, "takeover.localhost"), new TestOidcUser("subject-1", "owner@takeover.example"));
        var second = new BrowserSession(sso.Host, "takeover.localhost");

        using var refused = await sso.SignInWithSsoAsync(second, new TestOidcUser("subject-2", "owner@takeover.example"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        await AssertRefusedAsync(refused, second, "linked to a different single sign-on identity");
    }

    [Fact]
    public async Task RequireSso_RefusesPasswordsAndResets_ExceptForTheBreakGlassOwner()
    {
        var (_, owner) = await sso.WorkspaceAsync("strict");
        var (_, memberId) = await sso.InviteAsync(owner, "member@strict.example", WorkspaceRoles.Member);
        var ownerId = await SsoEnvironment.UserIdAsync(owner);
        using var saved = await sso.ConfigureAsync(owner, f =>
        {
            f["RequireSso"] = "true";
            f["BreakGlassUserId"] = ownerId.ToString();
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var visitor = new BrowserSession(sso.Host, "strict.localhost");

        using var member = await visitor.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "member@strict.example"), ("password", SsoEnvironment.Password)));
        using var breakGlass = await visitor.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "owner@strict.example"), ("password", SsoEnvironment.Password)));
        using var reset = await new BrowserSession(sso.Host, "strict.localhost").SubmitAsync(
            $"/account/reset?user={memberId}&token=whatever", BrowserSession.Form(("user", memberId.ToString()), ("token", "whatever"), ("newPassword", "a brand new passphrase")));
        using var viaSso = await sso.SignInWithSsoAsync(new BrowserSession(sso.Host, "strict.localhost"), new TestOidcUser("subject-member", "member@strict.example"));

        Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        Assert.Contains("single sign-on", await member.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, breakGlass.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, viaSso.StatusCode);
    }

    [Fact]
    public async Task CrossWorkspace_CallbackOfAFlowStartedAtA_IsRefusedAtB_EvenWithTheSameProviderAndClient()
    {
        var (alpha, alphaOwner) = await sso.WorkspaceAsync("ssoalpha");
        var (bravo, bravoOwner) = await sso.WorkspaceAsync("ssobravo");
        await sso.ConfigureAsync(alphaOwner, f => f["AllowedEmailDomains"] = "person.example");
        await sso.ConfigureAsync(bravoOwner, f => f["AllowedEmailDomains"] = "person.example");
        var atAlpha = new BrowserSession(sso.Host, "ssoalpha.localhost");
        var callback = await sso.Provider.AuthorizeAsync(await SsoEnvironment.StartAsync(atAlpha), new TestOidcUser("subject-same", "same@person.example"));
        var tokensBefore = sso.Provider.TokenRequests;

        // An attacker holding the whole browser state of A (cookies, callback URL) replays it at B's host.
        var atBravo = new BrowserSession(sso.Host, "ssobravo.localhost");
        foreach (var (name, value) in atAlpha.Cookies)
        {
            atBravo.SetCookie(name, value);
        }

        using var replayed = await atBravo.GetAsync(callback.PathAndQuery);
        using var refusal = await atBravo.GetAsync(replayed.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/account/sso/complete?failed=1", replayed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, refusal.StatusCode);
        Assert.Equal(tokensBefore, sso.Provider.TokenRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, (await atBravo.GetAsync("/api/v1/me")).StatusCode);
        Assert.Empty(await SsoEnvironment.QueryAsync<string>(bravo, "SELECT provider_key FROM user_logins"));
        Assert.Contains(
            await SsoEnvironment.QueryAsync<string>(bravo, "SELECT subject FROM audit_events WHERE type = 'SsoSignInRefused'"),
            subject => subject.Contains("State", StringComparison.Ordinal));

        // The very same callback is good at the workspace that started the flow (JIT is off, so the refusal is about the account).
        using var atHome = await atAlpha.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, atHome.StatusCode);
        Assert.StartsWith("/account/sso/complete", atHome.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("failed", atHome.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(tokensBefore + 1, sso.Provider.TokenRequests);
        Assert.Empty(await SsoEnvironment.QueryAsync<string>(alpha, "SELECT provider_key FROM user_logins"));
    }

    [Fact]
    public async Task CrossWorkspace_ExternalCookieFromA_IsWorthlessAtB()
    {
        var (_, alphaOwner) = await sso.WorkspaceAsync("extalpha");
        var (bravo, bravoOwner) = await sso.WorkspaceAsync("extbravo");
        await sso.ConfigureAsync(alphaOwner, f => f["AllowedEmailDomains"] = "both.example");
        await sso.ConfigureAsync(bravoOwner, f => f["AllowedEmailDomains"] = "both.example");
        await sso.InviteAsync(bravoOwner, "person@both.example", WorkspaceRoles.Member);
        var atAlpha = new BrowserSession(sso.Host, "extalpha.localhost");
        var callback = await sso.Provider.AuthorizeAsync(await SsoEnvironment.StartAsync(atAlpha), new TestOidcUser("subject-both", "person@both.example"));
        using var validated = await atAlpha.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, validated.StatusCode);

        var atBravo = new BrowserSession(sso.Host, "extbravo.localhost");
        foreach (var (name, value) in atAlpha.Cookies)
        {
            atBravo.SetCookie(name, value);
        }

        using var completed = await atBravo.GetAsync(validated.Headers.Location!.OriginalString);

        Assert.Equal(HttpStatusCode.BadRequest, completed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await atBravo.GetAsync("/api/v1/me")).StatusCode);
        Assert.Empty(await SsoEnvironment.QueryAsync<string>(bravo, "SELECT provider_key FROM user_logins"));
    }

    [Fact]
    public async Task WorkspaceWithoutSso_OffersNoButtonAndAnswers404()
    {
        await sso.WorkspaceAsync("plain");
        var (_, disabledOwner) = await sso.WorkspaceAsync("switchedoff");
        await sso.ConfigureAsync(disabledOwner, f => f.Remove("Enabled"));
        foreach (var host in new[] { "plain.localhost", "switchedoff.localhost" })
        {
            var visitor = new BrowserSession(sso.Host, host);

            using var signIn = await visitor.GetAsync("/account/sign-in");
            using var start = await visitor.SubmitAsync("/account/sso/start", BrowserSession.Form(("returnUrl", "/")), tokenFrom: "/account/sign-in");
            using var callback = await visitor.GetAsync("/account/sso/callback-oidc?code=abc&state=def");

            Assert.DoesNotContain("single sign-on", await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
        }
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage completed, BrowserSession browser, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, completed.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await completed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }
}
