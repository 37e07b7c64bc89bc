using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Catalog;
using OnTrackio.Encryption;
using OnTrackio.Provisioning;
using OnTrackio.Storage;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Storage;

/// <summary>
/// The web host's signed URLs over real HTTP: bound to the workspace's host, the key, the method, the expiry and the
/// response headers; refused with a bare 403 when any of it differs; never a way out of the workspace's prefix.
/// </summary>
public sealed class SignedObjectUrlTests : IAsyncLifetime
{
    private const string Secret = "alpha's confidential invoice";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _alpha = null!;
    private CreatedWorkspace _beta = null!;
    private IObjectStore _store = null!;
    private ObjectKey _key;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _alpha = await _platform.CreateWorkspaceAsync("alpha");
        _beta = await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync();
        _store = _host.Services.GetRequiredService<ObjectStores>().ForRegion(CatalogDbContext.DefaultRegionId);
        _key = ObjectKey.For(_alpha.Id, $"documents/{Guid.NewGuid():N}");
        await _store.PutAsync(_key, new MemoryStream(Encoding.UTF8.GetBytes(Secret)), "text/plain", Cancel);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Get_OnItsOwnHost_ServesTheObject_WithTheContractHeaders()
    {
        var url = await SignAsync(_key, SignedMethod.Get, "Invoice \"2026\".pdf", "application/pdf");

        using var response = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Secret, await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(Secret.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Invoice _2026_.pdf", disposition.FileNameStar);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Head_AnswersTheHeaders_WithoutTheBody()
    {
        var url = await SignAsync(_key, SignedMethod.Get);

        using var response = await SendAsync(HttpMethod.Head, url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Secret.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task UrlOfWorkspaceA_OnWorkspaceBsHost_IsRefused()
    {
        var url = await SignAsync(_key, SignedMethod.Get);
        var betaCopy = ObjectKey.For(_beta.Id, _key.Name);
        await _store.PutAsync(betaCopy, new MemoryStream(Encoding.UTF8.GetBytes("beta's own file")), "text/plain", Cancel);

        using var response = await _host.GetAsync(_beta.Hostname, url.PathAndQuery);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("beta", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("m", "PUT")]
    [InlineData("exp", "+1")]
    [InlineData("dn", "other.pdf")]
    [InlineData("ct", "text/html")]
    [InlineData("sig", "flip")]
    [InlineData("path", "other")]
    [InlineData("extra", "x=1")]
    [InlineData("dn", "(removed)")]
    public async Task Get_WithAnyPartAltered_Is403(string part, string change)
    {
        var url = (await SignAsync(_key, SignedMethod.Get, "invoice.pdf", "application/pdf")).PathAndQuery;
        var altered = part switch
        {
            "path" => url.Replace(_key.Name.Split('/')[1], Guid.NewGuid().ToString("N"), StringComparison.Ordinal),
            "extra" => url + "&" + change,
            "sig" => ObjectStoreContractTests_AlterSignature(url),
            "exp" => ReplaceParameter(url, "exp", (long.Parse(Parameter(url, "exp"), System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "dn" when change == "(removed)" => url.Replace("&dn=invoice.pdf", string.Empty, StringComparison.Ordinal),
            _ => ReplaceParameter(url, part, Uri.EscapeDataString(change)),
        };
        Assert.NotEqual(url, altered);

        using var response = await _host.GetAsync(_alpha.Hostname, altered);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Put_WithAGetSignature_Is403_AndLeavesTheObjectAsItWas()
    {
        var url = await SignAsync(_key, SignedMethod.Get);

        using var asIs = await SendAsync(HttpMethod.Put, url, new StringContent("overwritten"));
        using var relabelled = await SendAsync(HttpMethod.Put, new Uri(url.ToString().Replace("m=GET", "m=PUT", StringComparison.Ordinal)), new StringContent("overwritten"));

        Assert.Equal(HttpStatusCode.Forbidden, asIs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, relabelled.StatusCode);
        Assert.Equal(Secret, await ReadAsync(_key));
    }

    [Fact]
    public async Task Put_WithItsSignature_StoresTheBody_AndItsGetServesIt()
    {
        var key = ObjectKey.For(_alpha.Id, $"uploads/{Guid.NewGuid():N}");
        var put = await SignAsync(key, SignedMethod.Put);

        using var stored = await SendAsync(HttpMethod.Put, put, new StringContent("uploaded through a signed URL"));
        using var read = await SendAsync(HttpMethod.Get, await SignAsync(key, SignedMethod.Get));

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal("uploaded through a signed URL", await read.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task ExpiredUrl_Is403()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));
        var url = await SignerAt(past).SignAsync(new SignedUrlRequest(_key, SignedMethod.Get, past.GetUtcNow().AddMinutes(5), BaseUri(_alpha)), Cancel);

        using var response = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task UrlLivingLongerThanTheCap_Is403_AndTheSignerRefusesToMakeOne()
    {
        // Minted by a signer whose clock runs 10 minutes ahead, so from the host's clock it lives 70 minutes.
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        var url = await SignerAt(ahead).SignAsync(new SignedUrlRequest(_key, SignedMethod.Get, ahead.GetUtcNow().AddMinutes(60), BaseUri(_alpha)), Cancel);

        using var response = await SendAsync(HttpMethod.Get, url);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await Assert.ThrowsAsync<ArgumentException>(() => SignAsync(_key, SignedMethod.Get, lifetime: TimeSpan.FromMinutes(61)));
    }

    [Theory]
    [InlineData("/objects/documents/../documents/{id}")]
    [InlineData("/objects/documents/./{id}")]
    [InlineData("/objects/documents/%2e%2e/documents/{id}")]
    [InlineData("/objects/documents/%2E/{id}")]
    [InlineData("/objects/documents%2f{id}")]
    [InlineData("/objects/documents%2F{id}")]
    [InlineData("/objects/documents\\{id}")]
    [InlineData("/objects/documents%5c{id}")]
    [InlineData("/objects/documents//{id}")]
    [InlineData("/objects//documents/{id}")]
    [InlineData("/objects/%64ocuments/{id}")]
    [InlineData("/objects/../objects/documents/{id}")]
    [InlineData("/objects/documents/{id}/..")]
    public async Task PathTraversalAndEncodings_AreRefused_NeverServed(string template)
    {
        var url = await SignAsync(_key, SignedMethod.Get);
        var path = template.Replace("{id}", _key.Name.Split('/')[1], StringComparison.Ordinal) + url.Query;

        var status = await _host.RawGetAsync(_alpha.Hostname, path);

        Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)status}");
    }

    [Fact]
    public async Task TheRawSenderUsedAbove_DoesServeAnUnalteredUrl()
    {
        // Guards the traversal test: the same raw request with the canonical path is served.
        var url = await SignAsync(_key, SignedMethod.Get);

        Assert.Equal(HttpStatusCode.OK, await _host.RawGetAsync(_alpha.Hostname, url.PathAndQuery));
    }

    [Fact]
    public async Task SignedUrl_NeedsNoSession_AndACookieDoesNotChangeTheAnswer()
    {
        var url = await SignAsync(_key, SignedMethod.Get);

        using var withJunkCookie = await _host.GetAsync(_alpha.Hostname, url.PathAndQuery, r => r.Headers.Add("Cookie", ".AspNetCore.Identity.Application=garbage"));

        Assert.Equal(HttpStatusCode.OK, withJunkCookie.StatusCode);
    }

    private static Uri BaseUri(CreatedWorkspace workspace) => new($"http://{workspace.Hostname}");

    private Task<Uri> SignAsync(ObjectKey key, SignedMethod method, string? downloadName = null, string? contentType = null, TimeSpan? lifetime = null) =>
        _store.SignUrlAsync(new SignedUrlRequest(key, method, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromMinutes(5)), BaseUri(_alpha), downloadName, contentType), Cancel);

    private SignedObjectUrls SignerAt(TimeProvider time) => new(
        _host.Services.GetRequiredService<IMasterKey>(), time, _host.Services.GetRequiredService<IOptions<StorageOptions>>());

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, HttpContent? content = null) =>
        await _host.SendAsync(method, url.Host, url.PathAndQuery, r => r.Content = content);

    private async Task<string> ReadAsync(ObjectKey key)
    {
        await using var stream = await _store.OpenReadAsync(key, Cancel);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(Cancel);
    }

    private static string Parameter(string url, string name) =>
        url.Split('?')[1].Split('&').Single(p => p.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    private static string ReplaceParameter(string url, string name, string value) =>
        url.Replace($"{name}={Parameter(url, name)}", $"{name}={value}", StringComparison.Ordinal);

    private static string ObjectStoreContractTests_AlterSignature(string url)
    {
        var signature = Parameter(url, "sig");
        var altered = (signature[10] == 'a' ? "b" : "a") is var c ? string.Concat(signature.AsSpan(0, 10), c, signature.AsSpan(11)) : signature;
        return ReplaceParameter(url, "sig", altered);
    }
}
