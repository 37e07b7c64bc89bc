using System.Net;
using System.Text.RegularExpressions;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// What a browser keeps for one host: its cookies, and the anti-forgery token of the form it just loaded. Cookies
/// are plain name/value pairs here so that a test can also carry one to another host, as an attacker would.
/// </summary>
public sealed partial class BrowserSession(TestWebHost host, string hostname)
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    public string Hostname => hostname;

    public void SetCookie(string name, string value) => _cookies[name] = value;

    public static Dictionary<string, string> Form(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    /// <summary>Opens an invitation link in a new session, chooses a password, and returns the signed-in session.</summary>
    public static async Task<BrowserSession> AcceptInvitationAsync(TestWebHost host, string link, string password)
    {
        ArgumentNullException.ThrowIfNull(host);
        var uri = new Uri(link);
        var session = new BrowserSession(host, uri.Host);
        using var response = await session.SubmitAsync(uri.AbsolutePath, Form(("password", password)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"accepting {uri.AbsolutePath}: {(int)response.StatusCode}");
        return session;
    }

    /// <summary>Signs in through the form in a new session and returns it.</summary>
    public static async Task<BrowserSession> SignInAsync(TestWebHost host, string hostname, string email, string password)
    {
        var session = new BrowserSession(host, hostname);
        using var response = await session.SubmitAsync("/account/sign-in", Form(("email", email), ("password", password)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"signing in {email}: {(int)response.StatusCode}");
        return session;
    }

    public async Task<HttpResponseMessage> GetAsync(string path) =>
        Remember(await host.GetAsync(hostname, path, AddCookies));

    /// <summary>
    /// Loads the form at <paramref name="path"/> (or at <paramref name="tokenFrom"/>, for a form the page no longer
    /// shows), then posts <paramref name="fields"/> to <paramref name="path"/> with the anti-forgery token.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(
        string path, IReadOnlyDictionary<string, string> fields, bool withAntiforgery = true, string? tokenFrom = null)
    {
        using var page = await GetAsync(tokenFrom ?? path);
        var html = await page.Content.ReadAsStringAsync();
        var form = new Dictionary<string, string>(fields);
        if (withAntiforgery)
        {
            form["__RequestVerificationToken"] = AntiforgeryToken().Match(html) is { Success: true } match
                ? WebUtility.HtmlDecode(match.Groups[1].Value)
                : throw new InvalidOperationException($"No anti-forgery token in {path} ({(int)page.StatusCode}).");
        }

        return Remember(await host.SendAsync(HttpMethod.Post, hostname, path, request =>
        {
            AddCookies(request);
            request.Content = new FormUrlEncodedContent(form);
        }));
    }

    /// <summary>As <see cref="SubmitAsync"/>, for a form whose names repeat (a checkbox per row, all named Ids).</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string tokenFrom)
    {
        using var page = await GetAsync(tokenFrom);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No anti-forgery token in {tokenFrom} ({(int)page.StatusCode}).");
        return Remember(await host.SendAsync(HttpMethod.Post, hostname, path, request =>
        {
            AddCookies(request);
            request.Content = new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token)]);
        }));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path) =>
        Remember(await host.SendAsync(method, hostname, path, AddCookies));

    public Task<HttpResponseMessage> PostJsonAsync<T>(string path, T body) => SendJsonAsync(HttpMethod.Post, path, body);

    public Task<HttpResponseMessage> PutJsonAsync<T>(string path, T body) => SendJsonAsync(HttpMethod.Put, path, body);

    /// <summary>Sends <paramref name="body"/> as JSON with extra request headers (If-Match…).</summary>
    public async Task<HttpResponseMessage> SendJsonAsync<T>(HttpMethod method, string path, T body, params (string Name, string Value)[] headers) =>
        Remember(await host.SendAsync(method, hostname, path, request =>
        {
            AddCookies(request);
            request.Content = System.Net.Http.Json.JsonContent.Create(body);
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }));

    /// <summary>Sends <paramref name="content"/> as it is (its own content type: a merge patch, say) with extra request headers.</summary>
    public async Task<HttpResponseMessage> SendContentAsync(HttpMethod method, string path, HttpContent content, params (string Name, string Value)[] headers) =>
        Remember(await host.SendAsync(method, hostname, path, request =>
        {
            AddCookies(request);
            request.Content = content;
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }));

    private void AddCookies(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }
    }

    private HttpResponseMessage Remember(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var header in values)
            {
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
