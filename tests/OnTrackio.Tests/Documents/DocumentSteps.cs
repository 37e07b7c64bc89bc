using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Documents;
using OnTrackio.Storage;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Documents;

/// <summary>The document calls the tests repeat: uploads both ways, downloads through the signed URL (whichever store signed it), and what is on disk.</summary>
internal static partial class DocumentSteps
{
    public const string Password = "a long enough passphrase";

    private static readonly HttpClient Direct = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });

    /// <summary>A small, real PDF (one empty page); <paramref name="marker"/> makes each one's bytes and hash differ.</summary>
    public static byte[] Pdf(string marker) => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n" +
        "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n" +
        $"% {marker}\ntrailer <</Root 1 0 R>>\n%%EOF\n");

    /// <summary>A 1×1 PNG.</summary>
    public static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>One streamed multipart POST: the links field, then the file.</summary>
    public static async Task<HttpResponseMessage> PostFileAsync(this BrowserSession session, string path, string fileName, byte[] content, string? links = null)
    {
        using var form = new MultipartFormDataContent();
        if (links is not null)
        {
            form.Add(new StringContent(links), "links");
        }

        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await session.SendContentAsync(HttpMethod.Post, path, form);
    }

    public static async Task<DocumentDetails> UploadAsync(this BrowserSession session, string links, string fileName, byte[] content)
    {
        using var response = await session.PostFileAsync("/api/v1/documents", fileName, content, links);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/documents: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<DocumentDetails>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// The signed-URL flow: ask for an upload URL, PUT the bytes to it with the headers the answer lists, complete with
    /// the links.
    /// </summary>
    public static async Task<HttpResponseMessage> UploadThroughUrlAsync(
        this BrowserSession session, TestWebHost host, string? links, string fileName, byte[] content, Guid? replace = null, bool declareSize = true)
    {
        var url = await session.UploadUrlAsync(fileName, declareSize ? content.Length : null);
        AssertListsTheSignedHeaders(url);
        using (var put = await SendToSignedUrlAsync(host, new HttpMethod(url.Method), url.Url, request =>
        {
            request.Content = new ByteArrayContent(content);
            foreach (var (name, value) in url.Headers)
            {
                Assert.True(request.Headers.TryAddWithoutValidation(name, value) || request.Content.Headers.TryAddWithoutValidation(name, value), name);
            }
        }))
        {
            // The web host answers 201, S3 200.
            Assert.True(put.IsSuccessStatusCode, $"PUT upload: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        return await session.PostJsonAsync(
            replace is null ? "/api/v1/documents" : $"/api/v1/documents/{replace}/versions",
            new CompleteUploadRequest(url.UploadId, fileName, links is null ? null : [links]));
    }

    public static async Task<UploadUrl> UploadUrlAsync(this BrowserSession session, string fileName, long? size)
    {
        using var response = await session.PostJsonAsync("/api/v1/documents/uploads", new UploadUrlRequest(fileName, size));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST uploads: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<UploadUrl>(TestContext.Current.CancellationToken))!;
    }

    public static async Task<DocumentDetails> DocumentAsync(this BrowserSession session, Guid id)
    {
        using var response = await session.GetAsync($"/api/v1/documents/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET document: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return (await response.Content.ReadFromJsonAsync<DocumentDetails>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Mints a download URL and fetches it as a browser would.</summary>
    public static async Task<byte[]> DownloadAsync(this BrowserSession session, TestWebHost host, Guid id, int? version = null)
    {
        using var minted = await session.GetAsync($"/api/v1/documents/{id}/download-url{(version is null ? null : $"?version={version}")}");
        Assert.True(minted.StatusCode == HttpStatusCode.OK, $"download-url: {(int)minted.StatusCode} {await minted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        return await FetchAsync(host, (await minted.Content.ReadFromJsonAsync<DownloadUrl>(TestContext.Current.CancellationToken))!.Url);
    }

    /// <summary>GETs a signed download URL (the web host's or S3's), asserting it answers as an attachment that is not to be cached.</summary>
    public static async Task<byte[]> FetchAsync(TestWebHost host, Uri url)
    {
        using var response = await SendToSignedUrlAsync(host, HttpMethod.Get, url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signed GET: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control: {response.Headers.CacheControl}");
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Sends to a signed URL as a client would, to the host it names. The web host's URLs (filesystem store) name a
    /// workspace host under localhost, which is reached on loopback with that Host header; S3's presigned URLs name the
    /// S3 server itself.
    /// </summary>
    public static async Task<HttpResponseMessage> SendToSignedUrlAsync(TestWebHost host, HttpMethod method, Uri url, Action<HttpRequestMessage>? configure = null)
    {
        if (url.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return await host.SendAsync(method, url.Authority, url.PathAndQuery, configure);
        }

        using var request = new HttpRequestMessage(method, url);
        configure?.Invoke(request);
        return await Direct.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<IReadOnlyList<AuditEntryDto>> DocumentAuditAsync(this BrowserSession session, Guid id)
    {
        using var response = await session.GetAsync($"/api/v1/audit-events?entity_type=document&entity_id={id}&limit=100");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"audit: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<AuditEntriesPage>(TestContext.Current.CancellationToken))!.Items;
    }

    /// <summary>Every file the filesystem store holds for the workspace (partial writes included).</summary>
    public static string[] StoredFiles(TestPlatform platform, Guid workspaceId, string folder = "documents")
    {
        var root = platform.Configuration["OnTrackio:Storage:FileSystem:Root"] ?? Path.Combine(platform.SqliteDirectory!, "objects");
        var directory = Path.Combine(root, "workspaces", workspaceId.ToString("D"), folder);
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>A form that streams a file: the page's anti-forgery token first, then the file.</summary>
    public static async Task<HttpResponseMessage> SubmitFileAsync(this BrowserSession session, string formPage, string action, string fileName, byte[] content)
    {
        using var page = await session.GetAsync(formPage);
        var token = AntiforgeryToken().Match(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No anti-forgery token in {formPage} ({(int)page.StatusCode}).");
        using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent(content), "file", fileName);
        return await session.SendContentAsync(HttpMethod.Post, action, form);
    }

    /// <summary>
    /// A presigned S3 PUT signs headers the client must send, or S3 refuses it: each one is in the upload answer, and
    /// server-side encryption (SSE-S3) is among them. The web host's URLs sign no headers.
    /// </summary>
    private static void AssertListsTheSignedHeaders(UploadUrl url)
    {
        Assert.Equal("PUT", url.Method);
        var signed = QueryHelpers.ParseQuery(url.Url.Query).GetValueOrDefault("X-Amz-SignedHeaders").ToString()
            .Split(';', StringSplitOptions.RemoveEmptyEntries);
        if (signed.Length > 0)
        {
            Assert.Contains(SignedUrlHeaders.ServerSideEncryption, signed);
            Assert.Equal(SignedUrlHeaders.ServerSideEncryptionValue, url.Headers.GetValueOrDefault(SignedUrlHeaders.ServerSideEncryption));
        }

        foreach (var header in signed.Where(h => h != "host"))
        {
            Assert.True(url.Headers.Keys.Contains(header, StringComparer.OrdinalIgnoreCase), $"The URL signs {header}, which the upload answer does not list.");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
