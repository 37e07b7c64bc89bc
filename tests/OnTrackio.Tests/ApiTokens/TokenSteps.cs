using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OnTrackio.ApiTokens;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.ApiTokens;

/// <summary>A program calling the API with a token: no cookies, no anti-forgery token, only the Authorization header.</summary>
internal sealed class TokenClient(TestWebHost host, string hostname, string token)
{
    public string Token => token;

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<HttpResponseMessage> PostJsonAsync<T>(string path, T body) => SendAsync(HttpMethod.Post, path, JsonContent.Create(body));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null) =>
        host.SendAsync(method, hostname, path, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = content;
        });
}

/// <summary>The token steps the tests repeat, each asserting that it worked.</summary>
internal static class TokenSteps
{
    public static async Task<CreatedApiToken> CreateTokenAsync(this BrowserSession session, string name, string[] scopes, int days = 30, bool service = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var response = await session.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest(name, scopes, days, service));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/tokens: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<CreatedApiToken>())!;
    }

    public static TokenClient Client(this TestWebHost host, string hostname, CreatedApiToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenClient(host, hostname, token.Token);
    }

    public static async Task<HttpStatusCode> StatusAsync(this Task<HttpResponseMessage> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var response = await request;
        return response.StatusCode;
    }
}
