using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using OnTrackio.Documents;
using OnTrackio.Storage;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

/// <summary>
/// The done-when, on each store: an invoice attached to an asset, replaced, deleted, restored, its first version
/// restored, then purged, every act audited; and nothing of workspace A reachable from workspace B. On S3 the
/// workspaces' region is served by the S3 store on the loopback S3 server, and downloads go to its presigned URLs.
/// </summary>
public sealed class DocumentJourneyTests : IAsyncDisposable
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private DocumentStorage _storage = null!;
    private BrowserSession _acme = null!;
    private BrowserSession _beta = null!;
    private Guid _acmeId;
    private Guid _betaId;
    private Guid _assetId;

    public async ValueTask DisposeAsync()
    {
        // Null when the store or the platform could not be set up.
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
    }

    /// <summary>Two workspaces (acme with an asset, beta) in a region served by <paramref name="store"/>, and a web host.</summary>
    private async Task StartAsync(ObjectStoreKind store)
    {
        _storage = await DocumentStorage.CreateAsync(store);
        _platform = await TestPlatform.PostgresAsync(configure: _storage.Configure);
        var acme = await _platform.CreateWorkspaceAsync("acme");
        var beta = await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync();
        _acme = await BrowserSession.AcceptInvitationAsync(_host, acme.InvitationLink, DocumentSteps.Password);
        _beta = await BrowserSession.AcceptInvitationAsync(_host, beta.InvitationLink, DocumentSteps.Password);
        _acmeId = acme.Id;
        _betaId = beta.Id;
        _assetId = (await _acme.CreateAssetAsync((await _acme.CreateModelAsync()).Id)).Id;
    }

    private Task<IReadOnlyList<string>> AcmeKeysAsync(string folder = "") => _storage.KeysAsync(_platform, $"{ObjectKey.Root}/{_acmeId:D}/{folder}");

    [Theory]
    [InlineData(ObjectStoreKind.FileSystem)]
    [InlineData(ObjectStoreKind.S3)]
    public async Task Invoice_AttachedReplacedDeletedRestored_ThenFirstVersionRestored_ThenPurged_EveryActAudited(ObjectStoreKind store)
    {
        await StartAsync(store);
        var first = DocumentSteps.Pdf("invoice 1");
        var second = DocumentSteps.Pdf("invoice 1, corrected");
        using var created = await _acme.UploadThroughUrlAsync(_host, $"asset:{_assetId}", "invoice.pdf", first);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = (await created.Content.ReadFromJsonAsync<DocumentDetails>(TestContext.Current.CancellationToken))!.Document;
        Assert.Equal(("invoice.pdf", "application/pdf", 1, (long)first.Length), (document.Name, document.ContentType, document.VersionNumber, document.Size));
        Assert.Equal(first, await _acme.DownloadAsync(_host, document.Id));
        Assert.Empty(await AcmeKeysAsync("uploads/"));

        var replaced = await _acme.UploadAsync($"asset:{_assetId}", "delivery-note.pdf", DocumentSteps.Pdf("delivery note"));
        Assert.NotEqual(document.Id, replaced.Document.Id);
        using (var version = await _acme.PostFileAsync($"/api/v1/documents/{document.Id}/versions", "invoice-corrected.pdf", second))
        {
            Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        }

        Assert.Equal(second, await _acme.DownloadAsync(_host, document.Id));
        Assert.Equal(first, await _acme.DownloadAsync(_host, document.Id, version: 1));

        Assert.Equal(HttpStatusCode.NoContent, (await _acme.SendAsync(HttpMethod.Delete, $"/api/v1/documents/{document.Id}")).StatusCode);
        var listed = await _acme.ReadAsync<List<DocumentView>>($"/api/v1/documents?targetKind=asset&targetId={_assetId}");
        Assert.DoesNotContain(listed, d => d.Id == document.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync($"/api/v1/documents/{document.Id}/download-url")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _acme.SendAsync(HttpMethod.Post, $"/api/v1/documents/{document.Id}/restore")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _acme.SendAsync(HttpMethod.Post, $"/api/v1/documents/{document.Id}/versions/1/restore")).StatusCode);
        var restored = await _acme.DocumentAsync(document.Id);
        Assert.Equal([3, 2, 1], restored.Versions.Select(v => v.Number));
        Assert.Equal(1, restored.Versions[0].RestoredFrom);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), restored.Versions[0].Sha256);
        Assert.Equal(first, await _acme.DownloadAsync(_host, document.Id));

        var keys = await AcmeKeysAsync();
        Assert.Equal(3, keys.Count); // two versions of this document (v3 shares v1's object) and the other upload
        Assert.All(keys, k => Assert.StartsWith($"{ObjectKey.Root}/{_acmeId:D}/documents/", k, StringComparison.Ordinal));
        if (store == ObjectStoreKind.FileSystem)
        {
            // The filesystem store encrypts with the workspace's key. S3 encrypts server-side (SSE-S3, asked for on every
            // write and signed into the PUT URLs), which s3rver neither applies nor reports, so there is nothing to read back.
            Assert.All(keys, k => Assert.DoesNotContain("invoice 1", File.ReadAllText(DocumentStorage.FileOf(_platform, k)), StringComparison.Ordinal));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _acme.SendAsync(HttpMethod.Delete, $"/api/v1/documents/{document.Id}/purge")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync($"/api/v1/documents/{document.Id}")).StatusCode);
        Assert.Single(await AcmeKeysAsync()); // the other upload; both of this document's objects are gone from the store

        var audit = await _acme.DocumentAuditAsync(document.Id);
        Assert.Equal(
            ["DocumentPurged", "DocumentVersionRestored", "DocumentRestored", "DocumentDeleted", "DocumentReplaced", "DocumentUploaded"],
            audit.Select(e => e.Type));
        var upload = audit[^1].Changes!;
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(first)), upload, StringComparison.Ordinal);
        Assert.Contains("application/pdf", upload, StringComparison.Ordinal);
        Assert.DoesNotContain("invoice 1", upload, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ObjectStoreKind.FileSystem)]
    [InlineData(ObjectStoreKind.S3)]
    public async Task WorkspaceB_CannotReachWorkspaceAsDocument_ByIdUrlOrLink_AndEachWorkspaceStoresUnderItsOwnPrefix(ObjectStoreKind store)
    {
        await StartAsync(store);
        var document = (await _acme.UploadAsync($"asset:{_assetId}", "invoice.pdf", DocumentSteps.Pdf("acme"))).Document;
        using (var version = await _acme.UploadThroughUrlAsync(_host, null, "invoice-2.pdf", DocumentSteps.Pdf("acme 2"), document.Id))
        {
            Assert.Equal(HttpStatusCode.Created, version.StatusCode);
        }

        using var minted = await _acme.GetAsync($"/api/v1/documents/{document.Id}/download-url");
        var url = (await minted.Content.ReadFromJsonAsync<DownloadUrl>(TestContext.Current.CancellationToken))!.Url;
        _storage.AssertSignedFor(url, _acme.Hostname, _acmeId);

        // Both of A's objects are under A's prefix, and nothing else is stored yet.
        var acmeKeys = await _storage.KeysAsync(_platform);
        Assert.Equal(2, acmeKeys.Count);
        Assert.All(acmeKeys, k => Assert.StartsWith($"{ObjectKey.Root}/{_acmeId:D}/documents/", k, StringComparison.Ordinal));

        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/v1/documents/{document.Id}"), ("GET", $"/api/v1/documents/{document.Id}/download-url"),
            ("GET", $"/api/v1/documents/{document.Id}/download-url?version=1"),
            ("DELETE", $"/api/v1/documents/{document.Id}"), ("POST", $"/api/v1/documents/{document.Id}/restore"),
            ("POST", $"/api/v1/documents/{document.Id}/versions/1/restore"), ("DELETE", $"/api/v1/documents/{document.Id}/purge"),
            ("GET", $"/documents/{document.Id}"), ("GET", $"/documents/{document.Id}/download"), ("GET", $"/documents/attach?document={document.Id}"),
        })
        {
            using var response = await _beta.SendAsync(new HttpMethod(method), path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} on beta: {(int)response.StatusCode}");
        }

        using (var version = await _beta.PostFileAsync($"/api/v1/documents/{document.Id}/versions", "x.pdf", DocumentSteps.Pdf("beta")))
        {
            Assert.Equal(HttpStatusCode.NotFound, version.StatusCode);
        }

        // A's signed URL, presented on B's host: refused (a region on S3 has no object paths on the web host at all), and
        // B's own listing knows nothing of it.
        using (var signed = await _host.GetAsync("beta.localhost", url.PathAndQuery))
        {
            Assert.False(signed.IsSuccessStatusCode, $"A's signed URL on B's host: {(int)signed.StatusCode}");
        }

        Assert.Empty(await _beta.ReadAsync<List<DocumentView>>("/api/v1/documents"));

        // B cannot attach to A's asset, nor complete A's upload.
        using (var linked = await _beta.PostFileAsync("/api/v1/documents", "x.pdf", DocumentSteps.Pdf("beta"), $"asset:{_assetId}"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, linked.StatusCode);
        }

        var acmeUpload = await _acme.UploadUrlAsync("x.pdf", 10);
        _storage.AssertSignedFor(acmeUpload.Url, _acme.Hostname, _acmeId);
        using (var completed = await _beta.PostJsonAsync("/api/v1/documents", new CompleteUploadRequest(acmeUpload.UploadId, "x.pdf", [$"asset:{_assetId}"])))
        {
            Assert.Equal(HttpStatusCode.NotFound, completed.StatusCode);
        }

        // B's own document goes under B's prefix, and A's objects are as they were.
        var betaAsset = await _beta.CreateAssetAsync((await _beta.CreateModelAsync()).Id);
        await _beta.UploadAsync($"asset:{betaAsset.Id}", "invoice.pdf", DocumentSteps.Pdf("beta"));
        Assert.Single(await _storage.KeysAsync(_platform, $"{ObjectKey.Root}/{_betaId:D}/documents/"));
        Assert.Equal(acmeKeys, await AcmeKeysAsync());
        Assert.Equal(3, (await _storage.KeysAsync(_platform)).Count);
    }

    [Theory]
    [InlineData(ObjectStoreKind.FileSystem)]
    [InlineData(ObjectStoreKind.S3)]
    public async Task Pages_AttachDownloadDeleteRestorePurge_WithInlineRefusal(ObjectStoreKind store)
    {
        await StartAsync(store);
        var assetPage = $"/assets/{_assetId}";
        using (var attached = await _acme.SubmitFileAsync(assetPage, $"/documents/attach?target=asset:{_assetId}", "warranty.pdf", DocumentSteps.Pdf("warranty")))
        {
            Assert.Equal(HttpStatusCode.Redirect, attached.StatusCode);
        }

        var html = await (await _acme.GetAsync(assetPage)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("warranty.pdf", html, StringComparison.Ordinal);
        var id = (await _acme.ReadAsync<List<DocumentView>>($"/api/v1/documents?targetKind=asset&targetId={_assetId}")).Single().Id;

        using (var download = await _acme.GetAsync($"/documents/{id}/download"))
        {
            Assert.Equal(HttpStatusCode.Redirect, download.StatusCode);
            _storage.AssertSignedFor(download.Headers.Location!, _acme.Hostname, _acmeId);
            Assert.Equal(DocumentSteps.Pdf("warranty"), await DocumentSteps.FetchAsync(_host, download.Headers.Location!));
        }

        using (var refused = await _acme.SubmitFileAsync(assetPage, $"/documents/attach?target=asset:{_assetId}", "drawing.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray()))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("SVG and HTML files can carry scripts", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await _acme.SubmitAsync($"/documents/{id}?handler=Delete", new Dictionary<string, string>(), tokenFrom: $"/documents/{id}")).StatusCode);
        Assert.DoesNotContain("warranty.pdf", await (await _acme.GetAsync(assetPage)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await _acme.SubmitAsync($"/documents/{id}?handler=Restore", new Dictionary<string, string>(), tokenFrom: $"/documents/{id}")).StatusCode);
        Assert.Contains("warranty.pdf", await (await _acme.GetAsync(assetPage)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.SubmitAsync($"/documents/{id}?handler=Purge", new Dictionary<string, string>(), tokenFrom: $"/documents/{id}")).StatusCode);
        using (var purged = await _acme.SubmitAsync($"/documents/{id}?handler=Purge", BrowserSession.Form(("confirm", "true")), tokenFrom: $"/documents/{id}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync($"/documents/{id}")).StatusCode);
        Assert.Empty(await AcmeKeysAsync());
    }
}
