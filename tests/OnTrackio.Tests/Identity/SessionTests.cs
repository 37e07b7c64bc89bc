using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

public sealed class SessionTests : IAsyncLifetime
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
    public async Task SignOutEverywhereElse_EndsOtherSessionsAndKeepsThisOne()
    {
        var (_, laptop) = await AcceptedAsync("acme");
        var phone = await SignedInAsync("acme");
        using (var list = await laptop.GetAsync("/account/sessions"))
        {
            var html = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Equal(2, html.Split("<tr>").Length - 2);
        }

        using var ended = await laptop.SubmitAsync("/account/sessions", new Dictionary<string, string>());

        Assert.Contains("Signed out of 1 other session", await ended.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionServerSide_SoAReplayedCookieIsRefused()
    {
        var (_, session) = await AcceptedAsync("beta");
        var copied = session.Cookies["ontrackio.session"];

        using (await session.SubmitAsync("/account/sign-out", new Dictionary<string, string>(), tokenFrom: "/"))
        {
        }

        var replay = new BrowserSession(_host, "beta.localhost");
        replay.SetCookie("ontrackio.session", copied);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task IdentityEvents_AreAudited_InTheWorkspaceDatabase_WithoutSecrets()
    {
        var (workspace, session) = await AcceptedAsync("gamma");
        var other = new BrowserSession(_host, "gamma.localhost");
        using (await other.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "it@gamma.example"), ("password", "wrong password here"))))
        {
        }

        using (await session.SubmitAsync("/account/sign-out", new Dictionary<string, string>(), tokenFrom: "/"))
        {
        }

        var rows = await TestCluster.A.QueryAsync<string>(
            workspace.DatabaseName,
            "SELECT type || '|' || coalesce(actor_label, '') || '|' || coalesce(ip_address, '') || '|' || coalesce(subject, '') FROM audit_events ORDER BY id");
        Assert.Equal(["InvitationAccepted", "SignInFailed", "SignedOut"], rows.Select(r => r.Split('|')[0]));
        Assert.All(rows, row => Assert.Contains("it@gamma.example|127.0.0.1", row, StringComparison.Ordinal));
        Assert.All(rows, row => Assert.DoesNotContain("wrong password", row, StringComparison.Ordinal));
        Assert.All(rows, row => Assert.DoesNotContain(Password, row, StringComparison.Ordinal));
    }

    private Task<BrowserSession> SignedInAsync(string slug) => BrowserSession.SignInAsync(_host, $"{slug}.localhost", $"it@{slug}.example", Password);

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"it@{slug}.example"), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
