using System.Net;
using OnTrackio.Labels;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Outputs;

public sealed class LabelTests : IAsyncLifetime
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
        _workspace = await _platform.CreateWorkspaceAsync("lab");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task LabelPng_IsAQrCodeOfTheAssetsPage_OnTheRequestingWorkspacesHost()
    {
        var asset = await _owner.CreateAssetAsync(_modelId);

        using var response = await _owner.GetAsync($"/assets/{asset.Id}/label.png");
        var (width, height, dark) = OutputFiles.ReadPng(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(width, height);
        Assert.Equal(0, width % PrintAssetLabels.PixelsPerModule);
        Assert.True(width >= 21 * PrintAssetLabels.PixelsPerModule, $"{width} px is smaller than the smallest QR code");
        AssertPageOf(asset.Id, "lab.localhost", OutputFiles.DecodeQr(dark));
    }

    [Fact]
    public async Task Labels_OfAnotherWorkspacesAsset_Are404_AndItsSheetHoldsOnlyItsOwn()
    {
        await _owner.CreateAssetAsync(_modelId, tag: "OURS-1");
        var other = await _platform.CreateWorkspaceAsync("lab-other");
        var otherOwner = await BrowserSession.AcceptInvitationAsync(_host, other.InvitationLink, Password);
        var theirs = await otherOwner.CreateAssetAsync((await otherOwner.CreateModelAsync()).Id, tag: "THEIRS-1");

        using var png = await _owner.GetAsync($"/assets/{theirs.Id}/label.png");
        using var pdf = await _owner.GetAsync($"/assets/labels.pdf?id={theirs.Id}");
        using var page = await _owner.GetAsync($"/assets/labels?id={theirs.Id}");
        var theirSheet = OutputFiles.ReadPdf(await (await otherOwner.GetAsync("/assets/labels.pdf")).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        using var theirPng = await otherOwner.GetAsync($"/assets/{theirs.Id}/label.png");

        Assert.Equal(HttpStatusCode.NotFound, png.StatusCode);
        Assert.Equal("application/problem+json", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, pdf.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Contains("(THEIRS-1)", theirSheet.Contents[0], StringComparison.Ordinal);
        Assert.DoesNotContain("OURS-1", theirSheet.Contents[0], StringComparison.Ordinal);
        AssertPageOf(theirs.Id, "lab-other.localhost", OutputFiles.DecodeQr(OutputFiles.FirstQrOf(theirSheet.Contents[0])));
        Assert.Equal(HttpStatusCode.OK, theirPng.StatusCode);
    }

    [Fact]
    public async Task LabelSheet_OfTheFilteredList_HasAPagePer24Labels_WithEveryTagAndItsQrCode()
    {
        var created = new List<Guid>();
        for (var i = 1; i <= 25; i++)
        {
            created.Add((await _owner.CreateAssetAsync(_modelId, tag: $"LAB-{i:00}")).Id);
        }

        var broken = await _owner.CreateAssetAsync(_modelId, tag: "BROKEN-1", status: ReferenceDefaults.Broken);

        using var response = await _owner.GetAsync($"/assets/labels.pdf?status={ReferenceDefaults.ReadyToDeploy}");
        var (pages, contents) = OutputFiles.ReadPdf(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        var chosen = OutputFiles.ReadPdf(await (await _owner.GetAsync($"/assets/labels.pdf?id={broken.Id}&id={created[24]}")).Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, pages);
        Assert.Equal(2, contents.Count);
        Assert.All(Enumerable.Range(1, 24), i => Assert.Contains($"(LAB-{i:00})", contents[0], StringComparison.Ordinal));
        Assert.Contains("(LAB-25)", contents[1], StringComparison.Ordinal);
        Assert.Contains("(Laptop)", contents[0], StringComparison.Ordinal);
        Assert.DoesNotContain("BROKEN-1", string.Concat(contents), StringComparison.Ordinal);
        AssertPageOf(created[0], "lab.localhost", OutputFiles.DecodeQr(OutputFiles.FirstQrOf(contents[0])));
        AssertPageOf(created[24], "lab.localhost", OutputFiles.DecodeQr(OutputFiles.FirstQrOf(contents[1])));
        Assert.Equal(1, chosen.Pages);
        Assert.Contains("(BROKEN-1)", chosen.Contents[0], StringComparison.Ordinal);
        Assert.Contains("(LAB-25)", chosen.Contents[0], StringComparison.Ordinal);
        Assert.DoesNotContain("(LAB-01)", chosen.Contents[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelSheet_OfMoreThanTheCap_IsRefusedWithAMessage_OnThePageAndTheDownload()
    {
        var asset = await _owner.CreateAssetAsync(_modelId, tag: "FIRST");
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, $"""
            INSERT INTO assets (id, tag, model_id, status_label_id, created_at, updated_at, version)
            SELECT gen_random_uuid(), 'BULK-' || lpad(n::text, 5, '0'), '{_modelId}', '{ReferenceDefaults.ReadyToDeploy}', now(), now(), 1
            FROM generate_series(1, {PrintAssetLabels.MaxLabels}) AS n
            """);

        using var download = await _owner.GetAsync("/assets/labels.pdf");
        using var page = await _owner.GetAsync("/assets/labels");
        using var narrowed = await _owner.GetAsync("/assets/labels?q=first");
        var narrowedHtml = await narrowed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, download.StatusCode);
        Assert.Equal("application/problem+json", download.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 1,000 labels", await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("at most 1,000 labels", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        Assert.Contains("1 label on", narrowedHtml, StringComparison.Ordinal);
        Assert.Contains("/assets/labels.pdf?q=first", narrowedHtml, StringComparison.Ordinal);
        Assert.Contains($"/assets/labels?id={asset.Id}", await (await _owner.GetAsync($"/assets/{asset.Id}")).TextAsync(), StringComparison.Ordinal);
    }

    /// <summary>The link is the asset's page on the workspace's own host, with the platform's public scheme and port.</summary>
    private static void AssertPageOf(Guid assetId, string host, string decoded)
    {
        var link = new Uri(decoded);
        Assert.Equal("http", link.Scheme);
        Assert.Equal(host, link.Host);
        Assert.Equal($"/assets/{assetId}", link.PathAndQuery);
    }

    [Fact]
    public void Wrap_BreaksAtWords_SplitsLongWords_AndEllipsisesTheLastLine()
    {
        Assert.Equal(["Dell UltraSharp", "U2723QE"], LabelSheetPdf.Wrap("Dell UltraSharp U2723QE", 16, 3));
        Assert.Equal(["abcdef", "ghij"], LabelSheetPdf.Wrap("abcdefghij", 6, 3));
        Assert.Equal(["one two", "three", "four…"], LabelSheetPdf.Wrap("one two three four five six", 7, 3));
        Assert.Empty(LabelSheetPdf.Wrap("  ", 7, 3));
    }
}
