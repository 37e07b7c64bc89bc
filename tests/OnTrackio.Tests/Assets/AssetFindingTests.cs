using System.Net;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.Tests.CustomFields;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

/// <summary>Finding assets: every sort both ways with keyset paging across empty keys, and the warranty, end-of-life, location and custom-field filters.</summary>
public sealed class AssetFindingTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";

    // "Today" is the last day of March, so month-end clamping of end-of-life dates is exercised.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 31, 9, 0, 0, TimeSpan.Zero));
    private TestPlatform _platform = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        var workspace = await _platform.CreateWorkspaceAsync("find");
        var host = await _platform.StartWebHostAsync(time: _time);
        _owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task EverySort_BothWays_PagedTwoAtATime_IsTheWholeListInOrder_WithEmptyKeysLast()
    {
        var assets = await SortableAssetsAsync();
        foreach (var sort in new[] { "tag", "name", "warrantyEnd", "purchaseDate", "updatedAt" })
        {
            foreach (var descending in new[] { false, true })
            {
                var dir = descending ? "desc" : "asc";
                Func<AssetView, string?> key = sort switch
                {
                    "name" => a => a.Name,
                    "warrantyEnd" => a => a.WarrantyEnd?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    "purchaseDate" => a => a.PurchaseDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    "updatedAt" => a => a.UpdatedAt.UtcTicks.ToString("D20", System.Globalization.CultureInfo.InvariantCulture),
                    _ => a => a.Tag,
                };
                var keyed = assets.Where(a => key(a) is not null);
                var keyless = assets.Where(a => key(a) is null);
                var expected = (descending
                        ? keyed.OrderByDescending(key, StringComparer.Ordinal).ThenByDescending(a => a.Tag, StringComparer.Ordinal)
                        : keyed.OrderBy(key, StringComparer.Ordinal).ThenBy(a => a.Tag, StringComparer.Ordinal))
                    .Concat(descending ? keyless.OrderByDescending(a => a.Tag, StringComparer.Ordinal) : keyless.OrderBy(a => a.Tag, StringComparer.Ordinal))
                    .Select(a => a.Tag).ToList();

                var paged = await PagesAsync($"/api/v1/assets?sort={sort}&dir={dir}&limit=2");
                var csv = await (await _owner.GetAsync($"/api/v1/assets/export.csv?sort={sort}&dir={dir}")).TextAsync();
                var exported = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToList();

                Assert.True(expected.SequenceEqual(paged), $"{sort} {dir}: expected {string.Join(" ", expected)}, paged {string.Join(" ", paged)}");
                Assert.True(expected.SequenceEqual(exported), $"{sort} {dir}: expected {string.Join(" ", expected)}, exported {string.Join(" ", exported)}");
            }
        }
    }

    [Fact]
    public async Task ACursor_IsRefusedByAnotherSort_AndAGarbledOneOrBadSortToo()
    {
        await SortableAssetsAsync();
        var byName = await _owner.ReadAsync<AssetPage>("/api/v1/assets?sort=name&limit=2");

        using var otherSort = await _owner.GetAsync($"/api/v1/assets?sort=warrantyEnd&cursor={byName.NextCursor}");
        using var otherDir = await _owner.GetAsync($"/api/v1/assets?sort=name&dir=desc&cursor={byName.NextCursor}");
        using var garbled = await _owner.GetAsync("/api/v1/assets?sort=name&cursor=bm90IGEgY3Vyc29y");
        using var badSort = await _owner.GetAsync("/api/v1/assets?sort=size&dir=up&warrantyWithinDays=0");
        using var page = await _owner.GetAsync($"/assets?sort=tag&cursor={byName.NextCursor}");

        Assert.Contains("continues a list sorted by name (asc), not by warrantyEnd (asc)", await otherSort.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("not by name (desc)", await otherDir.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Contains("The cursor is not one this list issued", await garbled.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var problem = await badSort.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Sort 'size' is not one of tag, name, warrantyEnd, purchaseDate, updatedAt.", problem, StringComparison.Ordinal);
        Assert.Contains("Dir 'up' is not asc or desc.", problem, StringComparison.Ordinal);
        Assert.Contains("warrantyWithinDays must be between 1 and 3650.", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("continues a list sorted by name (asc)", await page.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarrantyWindows_CountFromToday_AndExpiredIsBeforeToday()
    {
        foreach (var (tag, warranty) in new[]
        {
            ("W-1", "2026-03-30"), ("W-2", "2026-03-31"), ("W-3", "2026-04-30"), ("W-4", "2026-05-01"),
            ("W-5", "2026-05-30"), ("W-6", "2026-06-29"), ("W-7", "2026-06-30"), ("W-8", (string?)null),
        })
        {
            await _owner.PostAssetAsync(new AssetInput { Tag = tag, ModelId = _modelId, WarrantyEnd = warranty });
        }

        using var both = await _owner.GetAsync("/api/v1/assets?warrantyWithinDays=30&warrantyExpired=true");

        Assert.Equal(["W-2", "W-3"], await TagsAsync("/api/v1/assets?warrantyWithinDays=30"));
        Assert.Equal(["W-2", "W-3", "W-4", "W-5"], await TagsAsync("/api/v1/assets?warrantyWithinDays=60"));
        Assert.Equal(["W-2", "W-3", "W-4", "W-5", "W-6"], await TagsAsync("/api/v1/assets?warrantyWithinDays=90"));
        Assert.Equal(["W-1"], await TagsAsync("/api/v1/assets?warrantyExpired=true"));
        Assert.Equal(8, (await TagsAsync("/api/v1/assets?warrantyExpired=false")).Count);
        Assert.Contains("Choose warrantyWithinDays or warrantyExpired, not both.", await both.ProblemAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
        var page = await (await _owner.GetAsync("/assets?warrantyWithinDays=30")).TextAsync();
        Assert.Contains(">W-3</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">W-4</a>", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"30\" selected=\"selected\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndOfLifeWindows_FollowEachModelsLifetime_WithMonthEndClamping()
    {
        var monthly = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Monthly", CategoryId = ReferenceDefaults.Laptops, EndOfLifeMonths = 1 });
        var yearly = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Yearly", CategoryId = ReferenceDefaults.Laptops, EndOfLifeMonths = 12 });
        var forever = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Forever", CategoryId = ReferenceDefaults.Laptops });
        foreach (var (tag, model, purchased) in new[]
        {
            ("E-1", monthly.Id, "2026-02-28"), ("E-2", monthly.Id, "2026-03-01"), ("E-3", yearly.Id, "2025-03-31"), ("E-4", yearly.Id, "2025-03-30"),
            ("E-5", yearly.Id, "2025-05-15"), ("E-6", forever.Id, "2000-01-01"), ("E-7", yearly.Id, (string?)null),
        })
        {
            await _owner.PostAssetAsync(new AssetInput { Tag = tag, ModelId = model, PurchaseDate = purchased });
        }

        var all = (await _owner.ReadAsync<AssetPage>("/api/v1/assets?limit=200")).Items.ToDictionary(a => a.Tag);

        Assert.Equal(new DateOnly(2026, 3, 28), all["E-1"].EndOfLife);
        Assert.Equal(new DateOnly(2026, 4, 1), all["E-2"].EndOfLife);
        Assert.Equal(["E-2", "E-3"], await TagsAsync("/api/v1/assets?endOfLifeWithinDays=30"));
        Assert.Equal(["E-2", "E-3", "E-5"], await TagsAsync("/api/v1/assets?endOfLifeWithinDays=60"));
        Assert.Equal(["E-1", "E-4"], await TagsAsync("/api/v1/assets?endOfLifePassed=true"));
    }

    [Theory]
    [InlineData("2026-03-31", 1, "2026-03-01")]
    [InlineData("2026-02-28", 1, "2026-01-28")]
    [InlineData("2026-03-31", 12, "2025-03-31")]
    [InlineData("2024-02-29", 12, "2023-03-01")]
    public void FirstPurchaseReaching_IsTheEarliestPurchaseWhoseEndOfLifeIsThatDayOrLater(string day, int months, string expected)
    {
        var reached = AssetQueries.FirstPurchaseReaching(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), months);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), reached);
        Assert.True(reached.AddMonths(months) >= DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(reached.AddDays(-1).AddMonths(months) < DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LocationFilter_TakesEveryPlaceInsideIt()
    {
        var hq = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "HQ" });
        var floor = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Floor 1", ParentId = hq.Id });
        var room = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Room 101", ParentId = floor.Id });
        var branch = await _owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Branch" });
        foreach (var (tag, location) in new[] { ("L-1", (Guid?)hq.Id), ("L-2", floor.Id), ("L-3", room.Id), ("L-4", branch.Id), ("L-5", null) })
        {
            await _owner.PostAssetAsync(new AssetInput { Tag = tag, ModelId = _modelId, LocationId = location });
        }

        var csv = await (await _owner.GetAsync($"/api/v1/assets/export.csv?location={floor.Id}&sort=tag&dir=desc")).TextAsync();

        Assert.Equal(["L-1", "L-2", "L-3"], await TagsAsync($"/api/v1/assets?location={hq.Id}"));
        Assert.Equal(["L-2", "L-3"], await TagsAsync($"/api/v1/assets?location={floor.Id}"));
        Assert.Equal(["L-3"], await TagsAsync($"/api/v1/assets?location={room.Id}"));
        Assert.Equal(["L-4"], await TagsAsync($"/api/v1/assets?location={branch.Id}"));
        Assert.Equal(["L-3", "L-2"], csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]));
    }

    [Fact]
    public async Task CustomFieldFilter_ReadsTheValueWithTheFieldsType()
    {
        var mdm = await _owner.CreateFieldAsync("MDM enrolled", CustomFieldType.Boolean);
        var ram = await _owner.CreateFieldAsync("RAM (GB)", CustomFieldType.Number);
        var colour = await _owner.CreateFieldAsync("Colour", CustomFieldType.List, options: ["Silver", "Black"]);
        var set = await _owner.CreateSetAsync("Laptop fields", mdm.Id, ram.Id, colour.Id);
        var model = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "X1", CategoryId = ReferenceDefaults.Laptops, FieldSetId = set.Id });
        await _owner.PostAssetAsync(new AssetInput { Tag = "C-1", Name = "b", ModelId = model.Id, CustomFields = new() { [mdm.Id] = "yes", [ram.Id] = "16", [colour.Id] = "Black" } });
        await _owner.PostAssetAsync(new AssetInput { Tag = "C-2", Name = "c", ModelId = model.Id, CustomFields = new() { [mdm.Id] = "false", [ram.Id] = "8" } });
        await _owner.PostAssetAsync(new AssetInput { Tag = "C-3", Name = "a", ModelId = model.Id, CustomFields = new() { [ram.Id] = "16.0" } });

        using var notANumber = await _owner.GetAsync($"/api/v1/assets?cf.{ram.Id}=lots&cf.nope=1");
        var csv = await (await _owner.GetAsync($"/api/v1/assets/export.csv?cf.{ram.Id}=16")).TextAsync();
        var page = await (await _owner.GetAsync($"/assets?cf.{colour.Id}=Black")).TextAsync();

        Assert.Equal(["C-1"], await TagsAsync($"/api/v1/assets?cf.{mdm.Id}=Yes"));
        Assert.Equal(["C-1"], await TagsAsync($"/api/v1/assets?cf.{mdm.Id}=true"));
        Assert.Equal(["C-2"], await TagsAsync($"/api/v1/assets?cf.{mdm.Id}=no"));
        Assert.Equal(["C-3", "C-1"], await TagsAsync($"/api/v1/assets?cf.{ram.Id}=16.00&sort=name"));
        Assert.Equal(["C-1"], await TagsAsync($"/api/v1/assets?cf.{colour.Id}=black&cf.{ram.Id}=16"));
        var problem = await notANumber.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("RAM (GB) 'lots' is not a number", problem, StringComparison.Ordinal);
        Assert.Contains("'cf.nope' does not name a custom field", problem, StringComparison.Ordinal);
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(">C-1</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">C-2</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<select name=\"cf.{colour.Id}\">", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"Black\" selected=\"selected\">Black</option>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_TakesWildcardsLiterally()
    {
        await _owner.PostAssetAsync(new AssetInput { Tag = "Q-1", Serial = "SN-77", Name = "Reception PC", ModelId = _modelId });
        await _owner.PostAssetAsync(new AssetInput { Tag = "Q-2", Name = "100% rugged", ModelId = _modelId });

        Assert.Equal(["Q-1"], await TagsAsync("/api/v1/assets?q=pti"));
        Assert.Equal(["Q-1"], await TagsAsync("/api/v1/assets?q=sn-7"));
        Assert.Equal(["Q-2"], await TagsAsync("/api/v1/assets?q=0%25%20r"));
        Assert.Empty(await TagsAsync("/api/v1/assets?q=_"));
        Assert.Empty(await TagsAsync("/api/v1/assets?q=Q%25"));
    }

    [Fact]
    public async Task Search_FindsAnAssetByItsHolderAndByItsModel()
    {
        var dell = await _owner.CreateReferenceAsync("models", new ReferenceInput { Name = "Latitude 7450", ModelNumber = "LAT-7450", CategoryId = ReferenceDefaults.Laptops });
        var held = await _owner.PostAssetAsync(new AssetInput { Tag = "H-1", Name = "Spare", ModelId = _modelId });
        await _owner.PostAssetAsync(new AssetInput { Tag = "H-2", Name = "Other", ModelId = dell.Id });
        await _owner.PostAssetAsync(new AssetInput { Tag = "H-3", Name = "Unrelated", ModelId = _modelId });
        var grace = await _owner.CreatePersonAsync("Grace Hopper", "grace.hopper@example.test");
        using var checkedOut = await _owner.PostJsonAsync($"/api/v1/assets/{held.Id}/checkout", new CheckOutInput { PersonId = grace.Id });
        checkedOut.EnsureSuccessStatusCode();

        Assert.Equal(["H-1"], await TagsAsync("/api/v1/assets?q=hopp"));
        Assert.Equal(["H-1"], await TagsAsync("/api/v1/assets?q=grace.h"));
        Assert.Empty(await TagsAsync("/api/v1/assets?q=example.test"));
        Assert.Equal(["H-2"], await TagsAsync("/api/v1/assets?q=titude"));
        Assert.Equal(["H-2"], await TagsAsync("/api/v1/assets?q=lat-74"));
        Assert.Contains(">H-1</a>", await (await _owner.GetAsync("/assets?q=Hopper")).TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddedEngine_SortsAndPagesByEveryKey()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 9, 0, 0, TimeSpan.Zero));
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("solo");
        await using var host = await platform.StartWebHostAsync(time: time);
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        var model = await owner.CreateModelAsync();
        var hq = await owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "HQ" });
        var floor = await owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "Floor", ParentId = hq.Id });
        var created = new List<AssetView>();
        foreach (var (tag, name, warranty) in new[] { ("S-1", "b", "2027-01-01"), ("S-2", (string?)null, (string?)null), ("S-3", "a", "2026-06-01"), ("S-4", "b", (string?)null) })
        {
            time.Advance(TimeSpan.FromSeconds(1.5));
            created.Add(await owner.PostAssetAsync(new AssetInput { Tag = tag, Name = name, ModelId = model.Id, WarrantyEnd = warranty, LocationId = floor.Id }));
        }

        time.Advance(TimeSpan.FromSeconds(1));
        var edit = AssetInput.From(created[0]);
        edit.Notes = "touched last";
        await owner.PutAssetAsync(created[0], edit);

        Assert.Equal(["S-3", "S-1", "S-4", "S-2"], await PagesAsync(owner, "/api/v1/assets?sort=name&limit=1"));
        Assert.Equal(["S-4", "S-1", "S-3", "S-2"], await PagesAsync(owner, "/api/v1/assets?sort=name&dir=desc&limit=1"));
        Assert.Equal(["S-3", "S-1", "S-2", "S-4"], await PagesAsync(owner, "/api/v1/assets?sort=warrantyEnd&limit=1"));
        Assert.Equal(["S-1", "S-4", "S-3", "S-2"], await PagesAsync(owner, "/api/v1/assets?sort=updatedAt&dir=desc&limit=1"));
        Assert.Equal(["S-2", "S-3", "S-4", "S-1"], await PagesAsync(owner, "/api/v1/assets?sort=updatedAt&limit=3"));
        Assert.Equal(["S-1", "S-2", "S-3", "S-4"], await PagesAsync(owner, $"/api/v1/assets?location={hq.Id}&q=s-&limit=3"));
    }

    /// <summary>Nine assets with names, purchase dates and warranty ends that repeat and are missing, changed at distinct times but for one tie.</summary>
    private async Task<List<AssetView>> SortableAssetsAsync()
    {
        var rows = new (string Tag, string? Name, string? Purchased, string? Warranty)[]
        {
            ("S-01", "beta", "2025-01-10", "2027-01-01"), ("S-02", null, null, "2026-06-01"), ("S-03", "alpha", "2025-01-10", null),
            ("S-04", "gamma", null, "2027-01-01"), ("S-05", null, "2024-05-05", null), ("S-06", "alpha", "2026-02-01", "2026-06-01"),
            ("S-07", "beta", "2025-01-10", null), ("S-08", null, null, null), ("S-09", "delta", "2023-12-31", "2028-02-29"),
        };
        var created = new List<AssetView>();
        foreach (var (tag, name, purchased, warranty) in rows)
        {
            // S-08 and S-09 share a change time: the tag breaks the tie.
            if (tag != "S-09")
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }

            created.Add(await _owner.PostAssetAsync(new AssetInput { Tag = tag, Name = name, ModelId = _modelId, PurchaseDate = purchased, WarrantyEnd = warranty }));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var edit = AssetInput.From(created[2]);
        edit.Notes = "changed last";
        created[2] = await _owner.PutAssetAsync(created[2], edit);
        return created;
    }

    private Task<List<string>> PagesAsync(string first) => PagesAsync(_owner, first);

    /// <summary>Follows the next-page cursors from <paramref name="first"/> and returns every tag, failing on a repeat.</summary>
    private static async Task<List<string>> PagesAsync(BrowserSession session, string first)
    {
        var tags = new List<string>();
        var page = await session.ReadAsync<AssetPage>(first);
        for (var pages = 0; pages < 50; pages++)
        {
            tags.AddRange(page.Items.Select(a => a.Tag));
            if (page.NextCursor is null)
            {
                break;
            }

            page = await session.ReadAsync<AssetPage>($"{first}&cursor={page.NextCursor}");
        }

        Assert.Equal(tags.Distinct().Count(), tags.Count);
        return tags;
    }

    private async Task<List<string>> TagsAsync(string path) =>
        [.. (await _owner.ReadAsync<AssetPage>(path)).Items.Select(a => a.Tag)];
}
