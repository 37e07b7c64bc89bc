using System.Net;
using OnTrackio.Assets;
using OnTrackio.Register;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

/// <summary>The register's pages, and what one workspace's register shows of another's: nothing.</summary>
public sealed class AssetPageTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        var workspace = await _platform.CreateWorkspaceAsync("pages");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task NewAssetForm_BadInput_RedisplaysWhatWasTypedWithTheReasons()
    {
        using var refused = await _owner.SubmitAsync("/assets/new", BrowserSession.Form(
            ("Input.Name", "Reception PC"), ("Input.ModelId", _modelId.ToString()), ("Input.StatusLabelId", ReferenceDefaults.ReadyToDeploy.ToString()),
            ("Input.PurchaseDate", "2026-02-30"), ("Input.Cost", "12.5"), ("Input.Currency", "ABC")));
        var html = await refused.TextAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("role=\"alert\">Purchase date &#x27;2026-02-30&#x27; is not a date", html, StringComparison.Ordinal);
        Assert.Contains("Currency &#x27;ABC&#x27; is not an ISO 4217 currency code", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Reception PC\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-02-30\"", html, StringComparison.Ordinal);
        Assert.Contains($"<option value=\"{_modelId}\" selected=\"selected\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_CreateCheckOutAndInAnAsset_AndShowItsTimeline()
    {
        var person = await _owner.CreatePersonAsync("Grace Hopper", "grace@pages.example");
        using var created = await _owner.SubmitAsync("/assets/new", BrowserSession.Form(
            ("Input.Name", "Reception PC"), ("Input.ModelId", _modelId.ToString()), ("Input.StatusLabelId", ReferenceDefaults.ReadyToDeploy.ToString()), ("Input.Serial", "PC-77")));
        var path = created.Headers.Location!.OriginalString;

        using var checkedOut = await _owner.SubmitAsync(path + "?handler=CheckOut", BrowserSession.Form(("CheckOut.PersonId", person.Id.ToString())), tokenFrom: path);
        var held = await (await _owner.GetAsync(path)).TextAsync();
        using var checkedIn = await _owner.SubmitAsync(path + "?handler=CheckIn", BrowserSession.Form(("note", "left the company")), tokenFrom: path);
        var back = await (await _owner.GetAsync(path)).TextAsync();
        var list = await (await _owner.GetAsync("/assets?q=pc-7")).TextAsync();

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, checkedOut.StatusCode);
        Assert.Contains("<dd>Deployed (Deployable)</dd>", held, StringComparison.Ordinal);
        Assert.Contains("Grace Hopper (person)", held, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, checkedIn.StatusCode);
        Assert.Contains("checked in: left the company", back, StringComparison.Ordinal);
        Assert.Contains("checked out: to Grace Hopper", back, StringComparison.Ordinal);
        Assert.Contains("Reception PC", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditForm_AfterSomeoneElseSaved_SaysSoAndKeepsTheirChange()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        var form = BrowserSession.Form(
            ("Version", asset.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Input.Tag", asset.Tag), ("Input.Name", "Mine"),
            ("Input.ModelId", _modelId.ToString()), ("Input.StatusLabelId", ReferenceDefaults.ReadyToDeploy.ToString()));
        var theirs = RegisterSteps.EditOf(asset);
        theirs.Name = "Theirs";
        using (var saved = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", theirs, ("If-Match", asset.ETag)))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        using var refused = await _owner.SubmitAsync($"/assets/{asset.Id}/edit", form);
        var html = await refused.TextAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains($"Someone else changed asset {asset.Tag} since you loaded it", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Mine\"", html, StringComparison.Ordinal);
        Assert.Equal("Theirs", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).Name);
    }

    [Fact]
    public async Task AnotherWorkspacesAsset_IsNotFound_ThroughApiAndPages()
    {
        var other = await _platform.CreateWorkspaceAsync("other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        var asset = await _owner.CreateAssetAsync(_modelId, tag: "SECRET-1");
        var person = await _owner.CreatePersonAsync("Only In Pages", "only@pages.example");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/assets/{asset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/api/v1/assets/by-tag/SECRET-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/assets/{asset.Id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/people/{person.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/assets/{asset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/assets/{asset.Id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", RegisterSteps.EditOf(asset), ("If-Match", asset.ETag))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkin", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{asset.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SendAsync(HttpMethod.Delete, $"/api/v1/models/{_modelId}")).StatusCode);
        Assert.Empty((await stranger.ReadAsync<AssetPage>("/api/v1/assets?q=secret")).Items);
        Assert.DoesNotContain("SECRET-1", await (await stranger.GetAsync("/assets")).TextAsync(), StringComparison.Ordinal);
        Assert.Equal("SECRET-1", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).Tag);
    }

    [Fact]
    public async Task EmbeddedEngine_RunsTheMainFlow()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("solo");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        var model = await owner.CreateModelAsync("MacBook Air");
        var hq = await owner.CreateReferenceAsync("locations", new ReferenceInput { Name = "HQ" });
        var first = await owner.CreateAssetAsync(model.Id);
        var second = await owner.CreateAssetAsync(model.Id, serial: "C02XYZ");
        var edit = RegisterSteps.EditOf(second);
        edit.Cost = 999.99m;
        edit.Currency = "USD";

        using var checkedOut = await owner.PostJsonAsync($"/api/v1/assets/{first.Id}/checkout", new CheckOutInput { LocationId = hq.Id, ExpectedCheckIn = "2099-01-01" });
        using var updated = await owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{second.Id}", edit, ("If-Match", second.ETag));
        using var stale = await owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{second.Id}", edit, ("If-Match", second.ETag));
        using var duplicate = await owner.PostJsonAsync("/api/v1/assets", new AssetInput { Tag = first.Tag, ModelId = model.Id, StatusLabelId = ReferenceDefaults.ReadyToDeploy });
        using var deleted = await owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{second.Id}");
        var afterDelete = await owner.ReadAsync<AssetPage>("/api/v1/assets?limit=1");
        using var restored = await owner.PostJsonAsync($"/api/v1/assets/{second.Id}/restore", new { });
        using var checkedIn = await owner.PostJsonAsync($"/api/v1/assets/{first.Id}/checkin", new { });
        var page = await owner.ReadAsync<AssetPage>("/api/v1/assets?limit=1");
        var next = await owner.ReadAsync<AssetPage>($"/api/v1/assets?limit=1&cursor={page.NextCursor}");
        var history = await owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{first.Id}/history");
        var found = await owner.ReadAsync<AssetPage>("/api/v1/assets?q=c02");

        Assert.Equal(HttpStatusCode.OK, checkedOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Null(afterDelete.NextCursor);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, checkedIn.StatusCode);
        Assert.Equal([first.Tag, second.Tag], [page.Items[0].Tag, next.Items[0].Tag]);
        Assert.Equal(999.99m, next.Items[0].Cost);
        Assert.Equal(["checked in", "checked out", "created"], history.Select(h => h.Action));
        Assert.Equal(second.Id, Assert.Single(found.Items).Id);
        Assert.Contains("Ready to deploy (Deployable)", await (await owner.GetAsync("/settings/reference")).TextAsync(), StringComparison.Ordinal);
    }
}
