using System.Net;
using System.Text.RegularExpressions;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Outputs;

public sealed partial class ApiReferenceTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("ref");
        _host = await _platform.StartWebHostAsync();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Reference_IsServedToSignedInPeople_WithItsScriptFromThisHost_AndNothingFromElsewhere()
    {
        var owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, "a long enough passphrase");

        using var page = await owner.GetAsync("/api-reference/");
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var scripts = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.NotEmpty(scripts);
        var sizes = new List<int>();
        foreach (var script in scripts)
        {
            var path = new Uri(new Uri("http://ref.localhost/api-reference/"), script).AbsolutePath;
            using var asset = await owner.GetAsync(path);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{path}: {(int)asset.StatusCode}");
            Assert.Contains("javascript", asset.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            sizes.Add((await asset.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        }

        // The reference itself (hundreds of kilobytes) is among them, so nothing is left to fetch from a CDN.
        Assert.True(sizes.Max() > 100_000, $"script sizes: {string.Join(", ", sizes)}");
    }

    [Fact]
    public async Task Reference_Anonymous_IsSentToSignIn()
    {
        using var page = await new BrowserSession(_host, "ref.localhost").GetAsync("/api-reference/");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/sign-in", page.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
