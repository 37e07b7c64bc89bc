using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

public sealed class ReauthenticationTests : IAsyncLifetime
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
    public async Task Reauthenticate_WithThePassword_ReturnsToTheLocalPage_AndKeepsTheSameSession()
    {
        var (_, session) = await AcceptedAsync("acme");

        using var response = await session.SubmitAsync(
            "/account/reauthenticate?returnUrl=%2Faccount%2Fsessions", BrowserSession.Form(("password", Password), ("returnUrl", "/account/sessions")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sessions", response.Headers.Location?.OriginalString);
        using var sessions = await session.GetAsync("/account/sessions");
        var html = await sessions.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, html.Split("<tr>").Length - 2);
    }

    [Fact]
    public async Task Reauthenticate_ToAnotherHost_GoesHomeInstead()
    {
        var (_, session) = await AcceptedAsync("beta");

        using var response = await session.SubmitAsync(
            "/account/reauthenticate", BrowserSession.Form(("password", Password), ("returnUrl", "https://evil.example/")));

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Reauthenticate_WithAWrongPassword_IsRefused_Audited_AndCountsTowardLockout()
    {
        var (workspace, session) = await AcceptedAsync("gamma");

        using var response = await session.SubmitAsync("/account/reauthenticate", BrowserSession.Form(("password", "not the password at all")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("That password is not right", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var failures = await TestCluster.A.QueryAsync<int>(workspace.DatabaseName, "SELECT access_failed_count FROM users");
        Assert.Equal([1], failures);
        var events = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT type || '|' || subject FROM audit_events WHERE type = 'SignInFailed'");
        Assert.Equal(["SignInFailed|re-authentication"], events);
    }

    [Fact]
    public async Task Reauthenticate_WithoutASession_AsksToSignIn()
    {
        await AcceptedAsync("delta");
        var stranger = new BrowserSession(_host, "delta.localhost");

        using var response = await stranger.GetAsync("/account/reauthenticate");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://delta.localhost", response.Headers.Location?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("/account/sign-in", response.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"it@{slug}.example"), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
