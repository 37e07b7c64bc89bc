using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web;

namespace OnTrackio.Tests.Web;

public sealed class EmbeddedFirstStartTests
{
    [Fact]
    public async Task FirstStart_ProvisionsTheDemoWorkspaceAndPrintsItsInvitationOnce()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var host = await platform.StartWebHostAsync();
        using var first = new StringWriter();
        using var second = new StringWriter();

        await EmbeddedFirstStart.PrepareAsync(host.Services, first, TestContext.Current.CancellationToken);
        await EmbeddedFirstStart.PrepareAsync(host.Services, second, TestContext.Current.CancellationToken);

        var link = InvitationLink.In(first.ToString());
        Assert.StartsWith("http://demo.localhost", link, StringComparison.Ordinal);
        Assert.Equal(string.Empty, second.ToString());
        using var invitation = await host.GetAsync("demo.localhost", new Uri(link).AbsolutePath);
        Assert.Equal(System.Net.HttpStatusCode.OK, invitation.StatusCode);
        using var home = await host.GetAsync("demo.localhost", "/");
        Assert.Contains("Demo", await home.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoOwner_AcceptsTheInvitationAndSignsIn_OnTheEmbeddedEngine()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var host = await platform.StartWebHostAsync();
        using var console = new StringWriter();
        await EmbeddedFirstStart.PrepareAsync(host.Services, console, TestContext.Current.CancellationToken);
        var session = new BrowserSession(host, "demo.localhost");

        using var accepted = await session.SubmitAsync(
            new Uri(InvitationLink.In(console.ToString())).AbsolutePath,
            new Dictionary<string, string> { ["password"] = "a long enough passphrase" });
        using var me = await session.GetAsync("/api/v1/me");

        Assert.Equal(System.Net.HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, me.StatusCode);
        Assert.Contains("owner@example.com", await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
