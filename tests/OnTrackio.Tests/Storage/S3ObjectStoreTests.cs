using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Storage;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Storage;

/// <summary>The store contract on the S3 store against the loopback S3 server (s3rver, which checks SigV4 signatures and expiry).</summary>
public sealed class S3ObjectStoreTests : ObjectStoreContractTests
{
    private static readonly HttpClient Direct = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });

    protected override async Task<Action<Dictionary<string, string?>>> ConfigureAsync()
    {
        var bucket = await TestS3Server.CreateBucketAsync();
        return c => TestS3Server.Configure(c, bucket);
    }

    protected override async Task<HttpResponseMessage> SendToAsync(HttpMethod method, Uri url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (method == HttpMethod.Put)
        {
            request.Headers.Add(SignedUrlHeaders.ServerSideEncryption, SignedUrlHeaders.ServerSideEncryptionValue);
        }

        return await Direct.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task PresignedPut_WithoutTheEncryptionHeader_IsRefused()
    {
        var key = ObjectKey.For(Alpha.Id, $"uploads/{Guid.NewGuid():N}");
        var url = await SignAsync(Alpha, key, SignedMethod.Put);

        using var refused = await Direct.PutAsync(url, new ByteArrayContent([1, 2, 3]), Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await Store.FindAsync(key, Cancel));
    }

    [Fact]
    public async Task PresignedGet_UsedAsAPut_IsRefused()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        var url = await SignAsync(Alpha, key, SignedMethod.Get);

        using var refused = await SendToAsync(HttpMethod.Put, url, new ByteArrayContent([1, 2, 3]));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await Store.FindAsync(key, Cancel));
    }

    [Fact]
    public async Task PresignedGet_AfterItExpires_IsRefused()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", Cancel);
        var url = await Store.SignUrlAsync(new SignedUrlRequest(key, SignedMethod.Get, DateTimeOffset.UtcNow.AddSeconds(2), BaseUri(Alpha)), Cancel);

        // Waiting for the clock, not measuring it: the URL is checked by the S3 server against its own clock.
        await Task.Delay(TimeSpan.FromSeconds(4), Cancel);
        using var refused = await SendToAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task WebHostObjectPath_OnARegionServedByS3_IsNotFound()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", Cancel);
        var hostUrl = await Host.Services.GetRequiredService<SignedObjectUrls>().SignAsync(
            new SignedUrlRequest(key, SignedMethod.Get, DateTimeOffset.UtcNow.AddMinutes(5), BaseUri(Alpha)), Cancel);

        using var response = await Host.GetAsync(Alpha.Hostname, hostUrl.PathAndQuery);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Writes_AskForServerSideEncryption_WhereTheServerReportsIt()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream", Cancel);

        var encryption = await Assert.IsType<S3ObjectStore>(Store).EncryptionOfAsync(key, Cancel);

        Assert.Equal("AES256", encryption);
    }
}
