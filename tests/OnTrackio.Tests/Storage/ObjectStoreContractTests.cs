using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Storage;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Storage;

/// <summary>
/// What every object store promises, run against each store as the web host builds it from configuration: the
/// filesystem store and the S3 store on the loopback S3 server.
/// </summary>
public abstract class ObjectStoreContractTests : IAsyncLifetime
{
    protected const long MaxObjectBytes = 12L * 1024 * 1024;

    protected TestPlatform Platform { get; private set; } = null!;

    protected TestWebHost Host { get; private set; } = null!;

    protected CreatedWorkspace Alpha { get; private set; } = null!;

    protected CreatedWorkspace Beta { get; private set; } = null!;

    protected IObjectStore Store { get; private set; } = null!;

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var extra = await ConfigureAsync();
        Platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            c["OnTrackio:Storage:MaxObjectBytes"] = MaxObjectBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);

            // The documents' own limit may not exceed the store's (start-up refuses it otherwise).
            c["OnTrackio:Documents:MaxFileBytes"] = MaxObjectBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            extra(c);
        });
        Alpha = await Platform.CreateWorkspaceAsync("alpha");
        Beta = await Platform.CreateWorkspaceAsync("beta");
        Host = await Platform.StartWebHostAsync();
        Store = Host.Services.GetRequiredService<ObjectStores>().ForRegion(CatalogDbContext.DefaultRegionId);
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The store's configuration, applied to the platform and so to the web host.</summary>
    protected abstract Task<Action<Dictionary<string, string?>>> ConfigureAsync();

    /// <summary>Sends a request to a signed URL the way a browser would: to the host the URL names.</summary>
    protected abstract Task<HttpResponseMessage> SendToAsync(HttpMethod method, Uri url, HttpContent? content = null);

    [Fact]
    public async Task Put_ThenRead_ReturnsEveryByte_OfAMultiChunkObject()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        var content = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 12345);

        var stored = await Store.PutAsync(key, new MemoryStream(content), "application/pdf", Cancel);
        var found = await Store.FindAsync(key, Cancel);

        Assert.Equal(content.Length, stored.Length);
        Assert.Equal(content.Length, found?.Length);
        Assert.Equal(content, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Put_OfAnEmptyObject_ReadsBackEmpty()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");

        await Store.PutAsync(key, new MemoryStream(), "text/plain", Cancel);

        Assert.Equal(0, (await Store.FindAsync(key, Cancel))?.Length);
        Assert.Empty(await ReadAllAsync(key));
    }

    [Fact]
    public async Task Put_OverAnExistingKey_ReplacesIt()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes("first version, longer than the second")), "text/plain", Cancel);

        await Store.PutAsync(key, new MemoryStream(Encoding.UTF8.GetBytes("second")), "text/plain", Cancel);

        Assert.Equal("second", Encoding.UTF8.GetString(await ReadAllAsync(key)));
        Assert.Equal(6, (await Store.FindAsync(key, Cancel))?.Length);
    }

    [Fact]
    public async Task Delete_RemovesTheObject_AndDeletingAgainIsNoError()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", Cancel);

        await Store.DeleteAsync(key, Cancel);
        await Store.DeleteAsync(key, Cancel);

        Assert.Null(await Store.FindAsync(key, Cancel));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.OpenReadAsync(key, Cancel));
    }

    [Fact]
    public async Task Read_OfAKeyNeverWritten_IsNotFound()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");

        Assert.Null(await Store.FindAsync(key, Cancel));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.OpenReadAsync(key, Cancel));
    }

    [Fact]
    public async Task Put_OverTheSizeLimit_IsRefused_AndKeepsNothing()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");

        await Assert.ThrowsAsync<ObjectTooLargeException>(() =>
            Store.PutAsync(key, new MemoryStream(new byte[MaxObjectBytes + 1]), "application/octet-stream", Cancel));

        Assert.Null(await Store.FindAsync(key, Cancel));
    }

    [Fact]
    public async Task SignedPut_ThenSignedGet_OverHttp_StoreAndServeTheBytes_AsAnAttachment()
    {
        var key = ObjectKey.For(Alpha.Id, $"uploads/{Guid.NewGuid():N}");
        var content = RandomNumberGenerator.GetBytes(200_000);
        var put = await SignAsync(Alpha, key, SignedMethod.Put);
        var get = await SignAsync(Alpha, key, SignedMethod.Get, "Rechnung März.pdf", "application/pdf");

        using var uploaded = await SendToAsync(HttpMethod.Put, put, new ByteArrayContent(content));
        using var downloaded = await SendToAsync(HttpMethod.Get, get);

        Assert.True(uploaded.IsSuccessStatusCode, $"PUT: {(int)uploaded.StatusCode} {await uploaded.Content.ReadAsStringAsync(Cancel)}");
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Equal(content, await downloaded.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("application/pdf", downloaded.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", downloaded.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("Rechnung März.pdf", downloaded.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(downloaded.Headers.CacheControl is { Private: true, NoStore: true }, downloaded.Headers.CacheControl?.ToString());
        Assert.Equal(content, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Sign_ForLongerThanAnHour_IsRefused()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SignUrlAsync(
            new SignedUrlRequest(key, SignedMethod.Get, DateTimeOffset.UtcNow.AddMinutes(61), BaseUri(Alpha)), Cancel));
    }

    protected Uri BaseUri(CreatedWorkspace workspace) => new($"http://{workspace.Hostname}:{Host.Port}");

    protected Task<Uri> SignAsync(CreatedWorkspace workspace, ObjectKey key, SignedMethod method, string? downloadName = null, string? contentType = null) =>
        Store.SignUrlAsync(new SignedUrlRequest(key, method, DateTimeOffset.UtcNow.AddMinutes(5), BaseUri(workspace), downloadName, contentType), Cancel);

    protected async Task<byte[]> ReadAllAsync(ObjectKey key)
    {
        await using var stream = await Store.OpenReadAsync(key, Cancel);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Cancel);
        return copy.ToArray();
    }

    /// <summary>Changes one character in the middle of the signature parameter (S3's or ours), keeping its alphabet.</summary>
    protected static string AlterSignature(string url)
    {
        var at = url.IndexOf("sig=", StringComparison.Ordinal) is var ours and >= 0
            ? ours + "sig=".Length + 10
            : url.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length + 10;
        var replacement = url[at] == 'a' ? 'b' : 'a';
        return string.Concat(url.AsSpan(0, at), replacement.ToString(), url.AsSpan(at + 1));
    }
}
