using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using OnTrackio.Catalog;
using OnTrackio.Identity;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;
using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Tests.Identity;

public sealed class AccountTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task AcceptInvitation_CreatesTheInvitedOwnerAndSignsIn()
    {
        var (workspace, session) = await AcceptedAsync("acme");

        using var me = await session.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var user = await me.Content.ReadFromJsonAsync<CurrentUser>(TestContext.Current.CancellationToken);
        Assert.Equal("it@acme.example", user!.Email);
        Assert.Equal([WorkspaceRoles.Owner], user.Roles);
        Assert.Contains("ontrackio.session", session.Cookies.Keys);
        Assert.NotNull(workspace);
    }

    [Fact]
    public async Task AcceptInvitation_Twice_IsRefusedAndCreatesNoSecondAccount()
    {
        var (workspace, _) = await AcceptedAsync("twice");
        var again = new BrowserSession(_host, "twice.localhost");

        using var response = await again.SubmitAsync(Path(workspace), BrowserSession.Form(("password", Password)), tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var users = await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM users");
        Assert.Equal(1, users.Single());
    }

    [Fact]
    public async Task AcceptInvitation_ShortPassword_IsRefusedWithTheRule()
    {
        var workspace = await CreateAsync("short");
        var session = new BrowserSession(_host, "short.localhost");

        using var response = await session.SubmitAsync(Path(workspace), BrowserSession.Form(("password", "tooshort")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at least 12 characters", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_WithoutAntiforgeryToken_IsRefused()
    {
        var workspace = await CreateAsync("forgery");
        var session = new BrowserSession(_host, "forgery.localhost");

        using var response = await session.SubmitAsync(Path(workspace), BrowserSession.Form(("password", Password)), withAntiforgery: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM users")).Single());
    }

    [Fact]
    public async Task SessionCookie_CopiedToAnotherWorkspace_IsWorthlessThere_EvenForTheSameEmail()
    {
        var (_, alpha) = await AcceptedAsync("alpha", "same@person.example");
        var (_, bravo) = await AcceptedAsync("bravo", "same@person.example");
        var thief = new BrowserSession(_host, "bravo.localhost");
        thief.SetCookie("ontrackio.session", alpha.Cookies["ontrackio.session"]);

        using var stolen = await thief.GetAsync("/api/v1/me");
        using var own = await bravo.GetAsync("/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, stolen.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task PasswordFromAnotherWorkspace_DoesNotSignIn()
    {
        await AcceptedAsync("gamma", "person@both.example");
        await CreateAsync("delta", "person@both.example");
        var session = new BrowserSession(_host, "delta.localhost");

        using var response = await session.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "person@both.example"), ("password", Password)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("ontrackio.session", session.Cookies.Keys);
    }

    [Fact]
    public async Task PasswordHash_IsPbkdf2HmacSha512WithAtLeast220000Iterations()
    {
        var (workspace, _) = await AcceptedAsync("hash");

        var stored = Convert.FromBase64String((await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT password_hash FROM users")).Single());

        Assert.Equal(0x01, stored[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(1)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(stored.AsSpan(5)) >= 220_000);
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksTheAccountEvenForTheRightOne()
    {
        await AcceptedAsync("locked");
        var session = new BrowserSession(_host, "locked.localhost");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await session.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "it@locked.example"), ("password", $"wrong password {i}")));
            statuses.Add(wrong.StatusCode);
        }

        // The fifth failure is the one that locks.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 4), (HttpStatusCode)423], statuses);
        using var right = await session.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "it@locked.example"), ("password", Password)));

        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.DoesNotContain("ontrackio.session", session.Cookies.Keys);
    }

    [Fact]
    public async Task SignIn_MoreThanTenAttemptsAMinute_Is429WithRetryAfter()
    {
        await CreateAsync("limited");
        var session = new BrowserSession(_host, "limited.localhost");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            using var attempt = await session.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", $"nobody{i}@limited.example"), ("password", "whatever it is")));
            statuses.Add(attempt.StatusCode);
            if (attempt.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(attempt.Headers.RetryAfter);
            }
        }

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherHost_GoesHomeInstead()
    {
        await AcceptedAsync("redirect");
        var session = new BrowserSession(_host, "redirect.localhost");

        using var response = await session.SubmitAsync(
            "/account/sign-in",
            BrowserSession.Form(("email", "it@redirect.example"), ("password", Password), ("returnUrl", "//evil.example/steal")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Api_WithoutASession_Is401NotARedirect()
    {
        await CreateAsync("anon");

        using var response = await _host.GetAsync("anon.localhost", "/api/v1/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug, string? email = null)
    {
        var workspace = await CreateAsync(slug, email);
        var session = new BrowserSession(_host, $"{slug}.localhost");
        using var response = await session.SubmitAsync(Path(workspace), BrowserSession.Form(("displayName", "Owner"), ("password", Password)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (workspace, session);
    }

    private Task<CreatedWorkspace> CreateAsync(string slug, string? email = null) =>
        _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, email ?? $"it@{slug}.example"),
            CancellationToken.None));

    private static string Path(CreatedWorkspace workspace) => new Uri(workspace.InvitationLink).AbsolutePath;
}
