using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Outputs;

public sealed partial class DashboardTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";

    // The host's clock stands still, so "within 30 days" means the same dates to the test and to the dashboard.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    private DateOnly Today => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("dash");
        _host = await _platform.StartWebHostAsync(time: _time);
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Dashboard_CountsStatusesWindowsAndActivity_OfThisWorkspaceOnly()
    {
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@dash.example");
        var deployed = await CreateAsync("DEP-1", ReferenceDefaults.ReadyToDeploy, warrantyInDays: 10);
        await CreateAsync("READY-1", ReferenceDefaults.ReadyToDeploy, warrantyInDays: 45);
        await CreateAsync("READY-2", ReferenceDefaults.ReadyToDeploy, warrantyInDays: 80);
        await CreateAsync("PEND-1", ReferenceDefaults.Pending, warrantyInDays: 200);
        await CreateAsync("BROKEN-1", ReferenceDefaults.Broken, warrantyInDays: -3);
        await CreateAsync("REPAIR-1", ReferenceDefaults.InRepair);
        await CreateAsync("ARCH-1", ReferenceDefaults.Archived, purchasedDaysAgo: (4 * 365) - 20);
        var gone = await CreateAsync("GONE-1", ReferenceDefaults.ReadyToDeploy, warrantyInDays: 5);
        using (var checkedOut = await _owner.PostJsonAsync($"/api/v1/assets/{deployed.Id}/checkout", new CheckOutInput { PersonId = ada.Id }))
        {
            Assert.Equal(HttpStatusCode.OK, checkedOut.StatusCode);
        }

        // Ada leaves in ten days: what she holds counts as held by a leaver from now.
        var leaving = Today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using (var left = await _owner.PutJsonAsync($"/api/v1/people/{ada.Id}", new PersonInput { Name = "Ada Lovelace", Email = "ada@dash.example", LeaveDate = leaving }))
        {
            Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        }

        using (var deleted = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{gone.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var other = await _platform.CreateWorkspaceAsync("dash-other");
        var otherOwner = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        await otherOwner.CreateAssetAsync((await otherOwner.CreateModelAsync("Their model")).Id, tag: "THEIRS-1");

        var html = await (await _owner.GetAsync("/")).TextAsync();
        var theirs = await (await otherOwner.GetAsync("/")).TextAsync();

        Assert.Equal(7, Tile(html, "total"));
        Assert.Equal(1, Tile(html, "deployed"));
        Assert.Equal(2, Tile(html, "ready"));
        Assert.Equal(1, Tile(html, "pending"));
        Assert.Equal(2, Tile(html, "undeployable"));
        Assert.Equal(1, Tile(html, "archived"));
        Assert.Equal(1, Tile(html, "leavers"));
        Assert.Equal((1, "/assets?warrantyWithinDays=30"), Window(html, "warranty-30"));
        Assert.Equal((2, "/assets?warrantyWithinDays=60"), Window(html, "warranty-60"));
        Assert.Equal((3, "/assets?warrantyWithinDays=90"), Window(html, "warranty-90"));
        Assert.Equal((1, "/assets?endOfLifeWithinDays=30"), Window(html, "life-30"));
        Assert.Contains("<desc id=\"chart-status-desc\">Deployed: 1; Ready to deploy: 2; Pending: 1; Undeployable: 2; Archived: 1.</desc>", html, StringComparison.Ordinal);
        Assert.Contains("<desc id=\"chart-category-desc\">Laptops: 7.</desc>", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\" aria-labelledby=\"chart-status-title chart-status-desc\"", html, StringComparison.Ordinal);
        Assert.Contains("<table class=\"visually-hidden\">", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/assets/{gone.Id}\">GONE-1</a> Laptop: deleted", html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/assets/{deployed.Id}\">DEP-1</a> Laptop: checked out (to Ada Lovelace)", html, StringComparison.Ordinal);
        Assert.Equal(10, RecentLine().Count(html));
        Assert.Equal(1, Tile(theirs, "total"));
        Assert.Equal(0, Tile(theirs, "deployed"));
        Assert.DoesNotContain("DEP-1", theirs, StringComparison.Ordinal);
        Assert.Contains("THEIRS-1", theirs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_ShowsTheDashboardOnlyToThoseWhoReadTheRegister()
    {
        using var invited = await _owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("member@dash.example", WorkspaceRoles.Member));
        var member = await BrowserSession.AcceptInvitationAsync(_host, (await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken))!.Link, Password);
        await CreateAsync("SECRET-1", ReferenceDefaults.ReadyToDeploy);

        var owners = await (await _owner.GetAsync("/")).TextAsync();
        var members = await (await member.GetAsync("/")).TextAsync();
        var anonymous = await (await new BrowserSession(_host, "dash.localhost").GetAsync("/")).TextAsync();

        Assert.Contains("data-count=\"total\"", owners, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\">Dashboard</a>", owners, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/api-reference\">API reference</a>", owners, StringComparison.Ordinal);
        Assert.DoesNotContain("data-count", members, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-1", members, StringComparison.Ordinal);
        Assert.Contains("dash.localhost", members, StringComparison.Ordinal);
        Assert.DoesNotContain("data-count", anonymous, StringComparison.Ordinal);
        Assert.DoesNotContain("API reference", anonymous, StringComparison.Ordinal);
    }

    private async Task<AssetView> CreateAsync(string tag, Guid status, int? warrantyInDays = null, int purchasedDaysAgo = 100)
    {
        using var response = await _owner.PostJsonAsync("/api/v1/assets", new AssetInput
        {
            Tag = tag,
            Name = "Laptop",
            ModelId = _modelId,
            StatusLabelId = status,
            PurchaseDate = Iso(Today.AddDays(-purchasedDaysAgo)),
            WarrantyEnd = warrantyInDays is { } days ? Iso(Today.AddDays(days)) : null,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AssetView>())!;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Tile(string html, string key)
    {
        var match = Regex.Match(html, $"data-count=\"{key}\">\\s*<span class=\"figure\">\\s*(?:<a href=\"[^\"]*\">)?\\s*([0-9,]+)");
        Assert.True(match.Success, $"no tile {key}");
        return int.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    private static (int Count, string Link) Window(string html, string key)
    {
        var match = Regex.Match(html, $"data-window=\"{key}\"><a href=\"([^\"]+)\">(\\d+)</a>");
        Assert.True(match.Success, $"no window {key}");
        return (int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), match.Groups[1].Value);
    }

    [GeneratedRegex("<li><time datetime=")]
    private static partial Regex RecentLine();
}
