using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using OnTrackio.Outbound;

namespace OnTrackio.Webhooks;

/// <summary>What one attempt got: the answer's status (null without one), how long it took, the start of its body, or the error.</summary>
public sealed record WebhookAttemptResult(int? StatusCode, TimeSpan Latency, string? ResponseExcerpt, string? Error, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one signed event to one endpoint, the Standard Webhooks way: a POST of the JSON body with <c>webhook-id</c>,
/// <c>webhook-timestamp</c> (Unix seconds, this attempt's) and <c>webhook-signature</c>. Redirects are not followed
/// (a 3xx is a failed attempt, not a hop to wherever it points), and before every attempt the endpoint's name is
/// resolved and every address checked; the connection then goes only to an address that was checked.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;
    private readonly HostResolver? _resolver;
    private readonly TimeProvider _time;

    public WebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _resolver = DnsHostResolver.Using(_options.DnsServers, TimeSpan.FromSeconds(5), WebhookOptions.Section + ":DnsServers");
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,

            // A pooled connection goes to an address checked when it was opened; a short lifetime keeps that recent too.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = _options.Timeout,
            ConnectCallback = PublicAddresses.ConnectGuarded(_options.AllowLoopback, _resolver),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("OnTrackio-Webhooks/1");
    }

    public async Task<WebhookAttemptResult> SendAsync(
        Uri url, string messageId, long timestamp, byte[] body, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            // Checked here at every attempt, not only when a new connection is opened: a reused connection's name
            // may have come to resolve elsewhere since, and an endpoint that became internal is refused at once.
            await PublicAddresses.ResolveCheckedAsync(url.IdnHost, _options.AllowLoopback, _resolver, timeout.Token);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("webhook-id", messageId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSecret.Header(keys, messageId, timestamp, body));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ExcerptAsync(response, timeout.Token);
            return new WebhookAttemptResult((int)response.StatusCode, Stopwatch.GetElapsedTime(started), excerpt, null, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(null, Stopwatch.GetElapsedTime(started), null, $"No answer within {_options.Timeout.TotalSeconds:0.#} s.", null);
        }
        catch (HttpRequestException ex)
        {
            return new WebhookAttemptResult(null, Stopwatch.GetElapsedTime(started), null, Describe(ex), null);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>The first <see cref="WebhookAttempt.MaxExcerptLength"/> bytes of the answer, read no further.</summary>
    private static async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[WebhookAttempt.MaxExcerptLength];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var count and > 0)
        {
            read += count;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length <= WebhookAttempt.MaxExcerptLength ? text : text[..WebhookAttempt.MaxExcerptLength];
    }

    /// <summary>Retry-After as seconds or as a date (RFC 9110), on any answer; the caller decides when it counts.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string Describe(HttpRequestException ex)
    {
        var message = ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{ex.Message} ({inner.Message})"
            : ex.Message;
        return message.Length <= 500 ? message : message[..500];
    }
}
