using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

/// <summary>Upload and download on the embedded default (SQLite, objects in the data folder).</summary>
public sealed class EmbeddedDocumentTests
{
    [Fact]
    public async Task Upload_ThenDownload_OnSqlite()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("embedded");
        var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, DocumentSteps.Password);
        var asset = await owner.CreateAssetAsync((await owner.CreateModelAsync()).Id);
        var pdf = DocumentSteps.Pdf("embedded");

        var document = await owner.UploadAsync($"asset:{asset.Id}", "invoice.pdf", pdf);
        using var replaced = await owner.UploadThroughUrlAsync(host, null, "invoice-2.pdf", DocumentSteps.Pdf("embedded 2"), document.Document.Id);

        Assert.Equal(System.Net.HttpStatusCode.Created, replaced.StatusCode);
        Assert.Equal(pdf, await owner.DownloadAsync(host, document.Document.Id, version: 1));
        Assert.Equal(2, (await owner.DocumentAsync(document.Document.Id)).Document.VersionNumber);
    }
}
