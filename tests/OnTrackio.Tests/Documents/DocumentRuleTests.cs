using System.Net;
using System.Text;
using OnTrackio.Documents;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

/// <summary>The upload rules, with small limits (64 KB a file, 200 KB a workspace): each refusal is clear and leaves nothing stored.</summary>
public sealed class DocumentRuleTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;
    private Guid _workspaceId;
    private string _asset = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            c["OnTrackio:Documents:MaxFileBytes"] = (64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
            c["OnTrackio:Documents:WorkspaceQuotaBytes"] = (200 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        var workspace = await _platform.CreateWorkspaceAsync("rules");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, DocumentSteps.Password);
        _workspaceId = workspace.Id;
        _asset = $"asset:{(await _owner.CreateAssetAsync((await _owner.CreateModelAsync()).Id)).Id}";
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Oversized_Is413_AndNothingIsStored()
    {
        using var streamed = await _owner.PostFileAsync("/api/v1/documents", "big.pdf", Padded(DocumentSteps.Pdf("big"), 100 * 1024), _asset);
        var body = await streamed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(streamed.StatusCode == HttpStatusCode.RequestEntityTooLarge, body);
        Assert.Contains("larger than the 64 KB", body, StringComparison.Ordinal);

        // Declared too large: refused before any URL is handed out.
        using var declared = await _owner.PostJsonAsync("/api/v1/documents/uploads", new UploadUrlRequest("big.pdf", 100 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        // Put through a URL anyway (declaring nothing): refused on completion, and the uploaded object is deleted.
        using var completed = await _owner.UploadThroughUrlAsync(_host, _asset, "big.pdf", Padded(DocumentSteps.Pdf("big"), 100 * 1024), declareSize: false);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, completed.StatusCode);

        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task QuotaExceeded_Is422_CountingDeletedDocuments()
    {
        for (var i = 0; i < 3; i++)
        {
            var document = await _owner.UploadAsync(_asset, $"part{i}.pdf", Padded(DocumentSteps.Pdf($"part {i}"), 60 * 1024));
            Assert.Equal(HttpStatusCode.NoContent, (await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/documents/{document.Document.Id}")).StatusCode);
        }

        using var refused = await _owner.PostFileAsync("/api/v1/documents", "part3.pdf", Padded(DocumentSteps.Pdf("part 3"), 60 * 1024), _asset);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("does not fit", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(3, DocumentSteps.StoredFiles(_platform, _workspaceId).Length);
    }

    [Theory]
    [InlineData("setup.pdf", "MZ\u0090\0\u0003\0\0\0\u0004\0\0\0", "named .pdf but its content is a Windows program")]
    [InlineData("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "SVG and HTML files can carry scripts")]
    [InlineData("logo.txt", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "SVG and HTML files can carry scripts")]
    [InlineData("page.html", "<!doctype html><p>hi", "SVG and HTML files can carry scripts")]
    [InlineData("invoice.pdf", "just some text", "named .pdf but its content is a text file")]
    [InlineData("notes.rtf", "{\\rtf1 hello}", "Files ending .rtf are not accepted")]
    [InlineData("empty.pdf", "", "is empty")]
    public async Task ContentAgainstTheRules_Is422_WithTheReason(string name, string content, string reason)
    {
        using var refused = await _owner.PostFileAsync("/api/v1/documents", name, Encoding.Latin1.GetBytes(content), _asset);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains(reason, await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task TextThatTurnsBinaryPastItsHead_IsRefusedMidStream_LeavingNothing()
    {
        var text = Encoding.ASCII.GetBytes(new string('a', 10_000));
        text[9_000] = 0;
        using var refused = await _owner.PostFileAsync("/api/v1/documents", "log.txt", text, _asset);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("not plain UTF-8 text", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Names_AreSanitised_PathsControlAndBidiCharactersRemoved()
    {
        var document = await _owner.UploadAsync(_asset, "..\\..\\secret\u0007 report\u202Etxt.exe\u200B.csv", "a,b\n1,2\n"u8.ToArray());
        Assert.Equal("secret reporttxt.exe.csv", document.Document.Name);
        Assert.Equal("text/csv", document.Document.ContentType);

        var nameless = await _owner.UploadAsync(_asset, "../.pdf", DocumentSteps.Pdf("nameless"));
        Assert.Equal("document.pdf", nameless.Document.Name);
        var long_ = await _owner.UploadAsync(_asset, new string('x', 300) + ".pdf", DocumentSteps.Pdf("long"));
        Assert.Equal(DocumentName.MaxLength, long_.Document.Name.Length);
        Assert.EndsWith(".pdf", long_.Document.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LicenceLinks_AreRefusedUntilLicencesExist()
    {
        using var refused = await _owner.PostFileAsync("/api/v1/documents", "licence.pdf", DocumentSteps.Pdf("licence"), $"licence:{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("they are not in the register", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(DocumentSteps.StoredFiles(_platform, _workspaceId));
        Assert.Empty(DocumentSteps.StoredFiles(_platform, _workspaceId, "uploads"));
        Assert.Empty(await _owner.ReadAsync<List<DocumentView>>("/api/v1/documents?includeDeleted=true"));
    }

    private static byte[] Padded(byte[] head, int length)
    {
        var bytes = new byte[length];
        head.CopyTo(bytes, 0);
        return bytes;
    }
}
