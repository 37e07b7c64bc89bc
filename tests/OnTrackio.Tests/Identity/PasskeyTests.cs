using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Identity.Passkeys;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

/// <summary>The passkey endpoints as a client without an authenticator sees them; the ceremonies themselves are in <see cref="PasskeyBrowserTests"/>.</summary>
public sealed class PasskeyTests : IAsyncLifetime
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
    public async Task PasskeySignInOptions_WithoutAntiforgeryToken_AreRefused()
    {
        var (workspace, _) = await AcceptedAsync("forged");
        var stranger = new BrowserSession(_host, workspace.Hostname);

        using var response = await stranger.SubmitAsync("/account/sign-in/passkey?handler=Options", BrowserSession.Form(), withAntiforgery: false, tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(stranger.Cookies.Keys, name => name.StartsWith("Identity.TwoFactorUserId", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("options.localhost")]
    [InlineData("OPTIONS.Localhost.")] // The verified hostname, not the Host header as sent.
    public async Task PasskeySignInOptions_NameTheWorkspaceHostAsRelyingParty_ForAnyOfItsPasskeys_WithUserVerification(string hostHeader)
    {
        await AcceptedAsync("options");
        var stranger = new BrowserSession(_host, hostHeader);

        using var response = await stranger.SubmitAsync("/account/sign-in/passkey?handler=Options", BrowserSession.Form(), tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var options = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("options.localhost", options.RootElement.GetProperty("rpId").GetString());
        Assert.Equal("required", options.RootElement.GetProperty("userVerification").GetString());
        Assert.Equal(0, options.RootElement.GetProperty("allowCredentials").GetArrayLength());
        Assert.True(options.RootElement.GetProperty("challenge").GetString()!.Length >= 43);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"id\":\"AAAA\",\"rawId\":\"AAAA\",\"type\":\"public-key\",\"response\":{\"userHandle\":\"AAAA\"}}")]
    public async Task PasskeySignIn_WithAGarbledCredential_IsRefusedAndAudited_NotAServerError(string credential)
    {
        var (workspace, _) = await AcceptedAsync("garbled");
        var stranger = new BrowserSession(_host, workspace.Hostname);
        using var withoutCeremony = await stranger.SubmitAsync("/account/sign-in/passkey", BrowserSession.Form(("credential", credential)), tokenFrom: "/account/sign-in");
        using var options = await stranger.SubmitAsync("/account/sign-in/passkey?handler=Options", BrowserSession.Form(), tokenFrom: "/account/sign-in");

        using var withCeremony = await stranger.SubmitAsync("/account/sign-in/passkey", BrowserSession.Form(("credential", credential)), tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.BadRequest, withoutCeremony.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withCeremony.StatusCode);
        Assert.DoesNotContain("ontrackio.session", stranger.Cookies.Keys);
        Assert.Equal(["passkey", "passkey"], await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT subject FROM audit_events WHERE type = 'SignInFailed'"));
    }

    [Fact]
    public async Task PasskeyCreationOptions_AskForADiscoverableVerifiedCredentialOfThisHost_ForTheSignedInUser()
    {
        var (workspace, session) = await AcceptedAsync("create");

        using var response = await session.SubmitAsync("/account/passkeys?handler=CreationOptions", BrowserSession.Form(), tokenFrom: "/account/passkeys");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var options = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("create.localhost", options.RootElement.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("it@create.example", options.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("required", options.RootElement.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.Equal("required", options.RootElement.GetProperty("authenticatorSelection").GetProperty("userVerification").GetString());
        Assert.NotNull(workspace);
    }

    [Fact]
    public async Task PasskeysPage_WithoutASession_AsksToSignIn()
    {
        var (workspace, _) = await AcceptedAsync("anonymous");
        var stranger = new BrowserSession(_host, workspace.Hostname);

        using var response = await stranger.GetAsync("/account/passkeys");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/sign-in", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasskeyAdd_WithoutACeremony_AddsNothing_AndRemoveOfAnUnknownPasskey_IsNotFound()
    {
        var (workspace, session) = await AcceptedAsync("nothing");

        using var added = await session.SubmitAsync("/account/passkeys?handler=Add", BrowserSession.Form(("name", "Mine"), ("credential", "{}")), tokenFrom: "/account/passkeys");
        using var removed = await session.SubmitAsync("/account/passkeys?handler=Remove", BrowserSession.Form(("id", "AAAAAAAAAAAAAAAAAAAAAA")), tokenFrom: "/account/passkeys");

        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM user_passkeys"));
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM audit_events WHERE type LIKE 'Passkey%'"));
    }

    [Theory]
    [InlineData("http://acme.localhost:5080", false, true)]
    [InlineData("http://ACME.localhost:5080", false, true)]
    [InlineData("http://beta.localhost:5080", false, false)]
    [InlineData("http://acme.localhost:5081", false, false)]
    [InlineData("https://acme.localhost:5080", false, false)]
    [InlineData("http://acme.localhost:5080", true, false)]
    [InlineData("http://acme.localhost.evil.example:5080", false, false)]
    [InlineData("not an origin", false, false)]
    public void IsWorkspaceOrigin_AcceptsOnlyThisRequestsSchemeAndPort_OnTheWorkspaceHostname(string origin, bool crossOrigin, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("acme.localhost", 5080);
        var context = new PasskeyOriginValidationContext { HttpContext = http, Origin = origin, CrossOrigin = crossOrigin };

        Assert.Equal(expected, WorkspacePasskeyHandler.IsWorkspaceOrigin(context, "acme.localhost"));
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"it@{slug}.example"), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
