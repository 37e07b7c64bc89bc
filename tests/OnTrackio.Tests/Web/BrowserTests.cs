using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web;

namespace OnTrackio.Tests.Web;

/// <summary>What a new user does after the README's first command, in a real browser.</summary>
public sealed class BrowserTests
{
    [Fact]
    public async Task DemoWorkspace_AndItsInvitation_RenderInChromium()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var host = await platform.StartWebHostAsync();
        using var console = new StringWriter();
        await EmbeddedFirstStart.PrepareAsync(host.Services, console, TestContext.Current.CancellationToken);
        var invitationPath = new Uri(InvitationLink.In(console.ToString())).AbsolutePath;

        var home = await HeadlessChromium.DumpDomAsync($"http://demo.localhost:{host.Port}/");
        var invitation = await HeadlessChromium.DumpDomAsync($"http://demo.localhost:{host.Port}{invitationPath}");
        var elsewhere = await HeadlessChromium.DumpDomAsync($"http://other.localhost:{host.Port}{invitationPath}");

        Assert.Contains("<h1>Demo</h1>", home, StringComparison.Ordinal);
        Assert.Contains("owner@example.com", invitation, StringComparison.Ordinal);
        Assert.DoesNotContain("owner@example.com", elsewhere, StringComparison.Ordinal);
        Assert.Contains("No workspace", elsewhere, StringComparison.Ordinal);
    }
}
