using System.Net;
using System.Net.Http.Json;
using System.Text;
using OnTrackio.Assets;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Assets;

/// <summary>PATCH /api/v1/assets/{id}: JSON Merge Patch over the current details, with PUT's If-Match rule and checks.</summary>
public sealed class AssetPatchTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("patch");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Patch_ChangesOnlyTheGivenFields_AndNullClearsAnOptionalOne()
    {
        var asset = await _owner.CreateAssetAsync(_modelId, serial: "SN-1");

        using var patched = await PatchAsync(asset.Id, """{"name": "Reception PC", "serial": null, "Notes": "by patch"}""", asset.ETag);
        var now = await patched.Content.ReadFromJsonAsync<AssetView>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);
        Assert.Equal(("Reception PC", (string?)null, "by patch"), (now!.Name, now.Serial, now.Notes));
        Assert.Equal((asset.Tag, asset.ModelId, asset.StatusLabelId, 1299.50m, "EUR", asset.PurchaseDate), (now.Tag, now.ModelId, now.StatusLabelId, now.Cost!.Value, now.Currency!, now.PurchaseDate));
        Assert.Equal(
            "[{\"field\":\"serial\",\"before\":\"SN-1\",\"after\":null},{\"field\":\"name\",\"before\":\"Laptop\",\"after\":\"Reception PC\"},{\"field\":\"notes\",\"before\":null,\"after\":\"by patch\"}]",
            Assert.Single(await QueryAsync($"SELECT changes FROM audit_events WHERE type = 'AssetUpdated' AND entity_id = '{asset.Id}'")));
    }

    [Fact]
    public async Task Patch_WithoutIfMatch_Is428_AndOverAStaleVersion_Is412()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);
        using (var first = await PatchAsync(asset.Id, """{"name": "First"}""", asset.ETag))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var missing = await PatchAsync(asset.Id, """{"name": "No precondition"}""", ifMatch: null);
        using var stale = await PatchAsync(asset.Id, """{"name": "Stale"}""", asset.ETag);
        using var garbled = await PatchAsync(asset.Id, """{"name": "Garbled"}""", "W/\"2\"");

        Assert.Equal(HttpStatusCode.PreconditionRequired, missing.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.PreconditionFailed, garbled.StatusCode);
        Assert.Equal("First", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).Name);
    }

    [Fact]
    public async Task Patch_WithUnknownFields_IsRefusedNamingThem_AndNothingChanges()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var unknown = await PatchAsync(asset.Id, """{"name": "Typo", "nmae": "x", "version": 7}""", asset.ETag);
        var problem = await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("An asset has no field 'nmae', 'version'", problem, StringComparison.Ordinal);
        Assert.Equal(("Laptop", 1L), await NameAndVersionAsync(asset.Id));
    }

    [Fact]
    public async Task Patch_CannotNullARequiredField_NorSendAWrongType_NorBreakTheAssetsRules()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var noModel = await PatchAsync(asset.Id, """{"modelId": null, "tag": null}""", asset.ETag);
        using var wrongType = await PatchAsync(asset.Id, """{"cost": "a lot"}""", asset.ETag);
        using var noCurrency = await PatchAsync(asset.Id, """{"currency": null}""", asset.ETag);
        using var notAnObject = await PatchAsync(asset.Id, """["name"]""", asset.ETag);
        using var notJson = await PatchAsync(asset.Id, "{name: ", asset.ETag);
        using var badStatus = await PatchAsync(asset.Id, $$"""{"statusLabelId": "{{Guid.CreateVersion7()}}"}""", asset.ETag);

        Assert.Equal(HttpStatusCode.BadRequest, noModel.StatusCode);
        var noModelText = await noModel.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("'modelId' is required and cannot be removed", noModelText, StringComparison.Ordinal);
        Assert.Contains("'tag' is required and cannot be removed", noModelText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("'cost'", await wrongType.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noCurrency.StatusCode);
        Assert.Contains("Cost needs a currency", await noCurrency.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notAnObject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Equal(("Laptop", 1L), await NameAndVersionAsync(asset.Id));
    }

    [Fact]
    public async Task Patch_AcceptsMergePatchAndJson_AndRefusesOtherMediaTypes()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var asJson = await PatchAsync(asset.Id, """{"orderNumber": "PO-1"}""", asset.ETag, "application/json");
        using var asText = await PatchAsync(asset.Id, """{"orderNumber": "PO-2"}""", "\"2\"", "text/plain");
        using var empty = await PatchAsync(asset.Id, "{}", "\"2\"");

        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, asText.StatusCode);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("\"2\"", empty.Headers.ETag?.Tag);
        Assert.Equal("PO-1", (await _owner.ReadAsync<AssetView>($"/api/v1/assets/{asset.Id}")).OrderNumber);
    }

    [Fact]
    public async Task Patch_OfAnotherWorkspacesAsset_IsNotFound()
    {
        var asset = await _owner.CreateAssetAsync(_modelId, tag: "MINE-1");
        var other = await _platform.CreateWorkspaceAsync("patch-other");
        var stranger = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);

        using var theirs = await stranger.SendContentAsync(
            HttpMethod.Patch, $"/api/v1/assets/{asset.Id}", new StringContent("""{"name": "Hijacked"}""", Encoding.UTF8, PatchAsset.MediaType), ("If-Match", asset.ETag));

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(("Laptop", 1L), await NameAndVersionAsync(asset.Id));
    }

    private Task<HttpResponseMessage> PatchAsync(Guid id, string body, string? ifMatch, string mediaType = PatchAsset.MediaType) =>
        _owner.SendContentAsync(
            HttpMethod.Patch, $"/api/v1/assets/{id}", new StringContent(body, Encoding.UTF8, mediaType), ifMatch is null ? [] : [("If-Match", ifMatch)]);

    private async Task<(string?, long)> NameAndVersionAsync(Guid id)
    {
        var asset = await _owner.ReadAsync<AssetView>($"/api/v1/assets/{id}");
        return (asset.Name, asset.Version);
    }

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
