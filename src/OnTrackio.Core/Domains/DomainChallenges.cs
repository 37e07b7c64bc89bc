using System.Net;
using System.Net.Sockets;
using System.Text;
using DnsClient;
using Microsoft.Extensions.Options;

namespace OnTrackio.Domains;

public enum DomainVerificationMethod
{
    /// <summary>Try DNS first, then HTTP.</summary>
    Any,
    Dns,
    Http,
}

/// <summary>
/// Proves control of a hostname: a TXT record <c>_ontrackio-challenge.&lt;host&gt;</c> holding the token, or the token
/// served at <c>http://&lt;host&gt;/.well-known/ontrackio-domain/&lt;token&gt;</c> — which the platform itself answers
/// once the host points at it. Both use the configured resolver, so tests can run their own DNS server.
/// </summary>
/// <remarks>
/// The two prove different things. DNS proves control of the zone. HTTP proves only that the hostname resolves to
/// the platform, which is what routing needs, but a hostname left pointing here after its domain was removed could
/// be claimed by another workspace; operators should prefer DNS for hostnames they did not see configured.
/// </remarks>
public sealed class DomainChallenges(IOptions<DomainVerificationOptions> options)
{
    public const string DnsLabel = "_ontrackio-challenge";
    public const string HttpPathPrefix = "/.well-known/ontrackio-domain/";

    /// <summary>Returns null when the challenge is met, otherwise why not, in words an operator can act on.</summary>
    public async Task<string?> CheckAsync(string hostname, string token, DomainVerificationMethod method, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        if (method is DomainVerificationMethod.Any or DomainVerificationMethod.Dns)
        {
            var reason = await CheckDnsAsync(hostname, token, cancellationToken);
            if (reason is null)
            {
                return null;
            }

            reasons.Add(reason);
        }

        if (method is DomainVerificationMethod.Any or DomainVerificationMethod.Http)
        {
            var reason = await CheckHttpAsync(hostname, token, cancellationToken);
            if (reason is null)
            {
                return null;
            }

            reasons.Add(reason);
        }

        return string.Join(" ", reasons);
    }

    private async Task<string?> CheckDnsAsync(string hostname, string token, CancellationToken cancellationToken)
    {
        var name = $"{DnsLabel}.{hostname}";
        try
        {
            var response = await Resolver().QueryAsync(name, QueryType.TXT, cancellationToken: cancellationToken);
            var values = response.Answers.TxtRecords().SelectMany(r => r.Text).ToList();
            return values.Contains(token, StringComparer.Ordinal)
                ? null
                : $"DNS: no TXT record at {name} holds the token (found {values.Count} TXT value(s)).";
        }
        catch (DnsResponseException ex)
        {
            return $"DNS: looking up {name} failed ({ex.Message}).";
        }
    }

    private async Task<string?> CheckHttpAsync(string hostname, string token, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(hostname, cancellationToken);
        if (addresses.Count == 0)
        {
            return $"HTTP: {hostname} has no A or AAAA record.";
        }

        var port = options.Value.HttpPort;
        var url = new Uri($"http://{hostname}:{port}{HttpPathPrefix}{token}");
        foreach (var address in addresses)
        {
            using var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                ConnectTimeout = options.Value.Timeout,

                // Connect to the address just resolved by the configured resolver, not to whatever the OS resolves later.
                ConnectCallback = async (context, ct) =>
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, port), ct);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                },
            };
            using var client = new HttpClient(handler) { Timeout = options.Value.Timeout };
            try
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }

                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                var buffer = new byte[256];
                var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (Encoding.UTF8.GetString(buffer, 0, read).Trim() == token)
                {
                    return null;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or SocketException)
            {
                // Try the next address; the summary below says none answered.
            }
        }

        return $"HTTP: {url} did not return the token from any of {string.Join(", ", addresses)}.";
    }

    private async Task<IReadOnlyList<IPAddress>> ResolveAsync(string hostname, CancellationToken cancellationToken)
    {
        var resolver = Resolver();
        var addresses = new List<IPAddress>();
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            try
            {
                var response = await resolver.QueryAsync(hostname, type, cancellationToken: cancellationToken);
                addresses.AddRange(response.Answers.ARecords().Select(r => r.Address));
                addresses.AddRange(response.Answers.AaaaRecords().Select(r => r.Address));
            }
            catch (DnsResponseException)
            {
                // A missing record type is normal; an empty result is reported by the caller.
            }
        }

        return addresses;
    }

    private LookupClient Resolver()
    {
        var settings = options.Value;
        var servers = settings.DnsServers.Select(ParseEndpoint).ToArray();
        var lookupOptions = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        lookupOptions.UseCache = false;
        lookupOptions.Timeout = settings.Timeout;
        lookupOptions.Retries = 1;
        lookupOptions.ThrowDnsErrors = false;
        return new LookupClient(lookupOptions);
    }

    private static IPEndPoint ParseEndpoint(string value) =>
        IPEndPoint.TryParse(value, out var endpoint)
            ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
            : throw new OperationRefusedException($"'{value}' in OnTrackio:DomainVerification:DnsServers is not an IP address or ip:port.");
}
