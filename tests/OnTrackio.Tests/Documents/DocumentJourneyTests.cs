using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using OnTrackio.Documents;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

/// <summary>
/// The done-when on the filesystem store: an invoice attached to an asset, replaced, deleted, restored, its first
/// version restored, then purged, every act audited; and nothing of workspace A reachable from workspace B.
/// </summary>
public sealed class DocumentJourneyTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _acme = null!;
    private BrowserSession _beta = null!;
    private Guid _acmeId;
    private Guid _assetId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        var acme = await _platform.CreateWorkspaceAsync("acme");
        var beta = await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync();
        _acme = await BrowserSession.AcceptInvitationAsync(_host, acme.InvitationLink, DocumentSteps.Password);
        _beta = await BrowserSession.AcceptInvitationAsync(_host, beta.InvitationLink, DocumentSteps.Password);
        _acmeId = acme.Id;
        _assetId = (await _acme.CreateAssetAsync((await _acme.CreateModelAsync()).Id)).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Invoice_AttachedReplacedDeletedRestored_ThenFirstVersionRestored_ThenPurged_EveryActAudited()
    {
        var first = DocumentSteps.Pdf("invoice 1");
        var second = DocumentSteps.Pdf("invoice 1, corrected");
        using var created = await _acme.UploadThroughUrlAsync(_host, $"asset:{_assetId}", "invoice.pdf", first);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var document = (await created.Content.ReadFromJsonAsync<DocumentDetails>(TestContext.Current.CancellationToken))!.Document;
        Assert.Equal(("invoice.pdf", "application/pdf", 1, (long)first.Length), (document.Name, document.ContentType, document.VersionNumber, document.Size));
        Assert.Equal(first, await _acme.DownloadAsync(_host, document.Id));
        Assert.Empty(DocumentSteps.StoredFiles(_platform, _acmeId, "uploads"));

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

        var files = DocumentSteps.StoredFiles(_platform, _acmeId);
        Assert.Equal(3, files.Length); // two versions of this document (v3 shares v1's object) and the other upload
        Assert.All(files, f => Assert.DoesNotContain("invoice 1", File.ReadAllText(f), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await _acme.SendAsync(HttpMethod.Delete, $"/api/v1/documents/{document.Id}/purge")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync($"/api/v1/documents/{document.Id}")).StatusCode);
        Assert.Single(DocumentSteps.StoredFiles(_platform, _acmeId));

        var audit = await _acme.DocumentAuditAsync(document.Id);
        Assert.Equal(
            ["DocumentPurged", "DocumentVersionRestored", "DocumentRestored", "DocumentDeleted", "DocumentReplaced", "DocumentUploaded"],
            audit.Select(e => e.Type));
        var upload = audit[^1].Changes!;
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(first)), upload, StringComparison.Ordinal);
        Assert.Contains("application/pdf", upload, StringComparison.Ordinal);
        Assert.DoesNotContain("invoice 1", upload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkspaceB_CannotReachWorkspaceAsDocument_ByIdUrlOrLink()
    {
        var document = (await _acme.UploadAsync($"asset:{_assetId}", "invoice.pdf", DocumentSteps.Pdf("acme"))).Document;
        using var minted = await _acme.GetAsync($"/api/v1/documents/{document.Id}/download-url");
        var url = (await minted.Content.ReadFromJsonAsync<DownloadUrl>(TestContext.Current.CancellationToken))!.Url;

        foreach (var (method, path) in new[]
        {
            ("GET", $"/api/v1/documents/{document.Id}"), ("GET", $"/api/v1/documents/{document.Id}/download-url"),
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

        // A's signed URL, presented on B's host: refused, and B's own listing knows nothing of it.
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
        using (var completed = await _beta.PostJsonAsync("/api/v1/documents", new CompleteUploadRequest(acmeUpload.UploadId, "x.pdf", [$"asset:{_assetId}"])))
        {
            Assert.Equal(HttpStatusCode.NotFound, completed.StatusCode);
        }
    }

    [Fact]
    public async Task Pages_AttachDeleteRestorePurge_WithInlineRefusal()
    {
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
            Assert.StartsWith("/objects/", download.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
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
        Assert.Empty(DocumentSteps.StoredFiles(_platform, _acmeId));
    }
}
