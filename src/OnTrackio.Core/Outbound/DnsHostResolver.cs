using System.Net;
using DnsClient;

namespace OnTrackio.Outbound;

/// <summary>
/// Resolves host names through the DNS servers an operator names (A and AAAA records), for outgoing calls whose
/// addresses must be checked before connecting. With no servers named, the system's resolver answers instead.
/// </summary>
public static class DnsHostResolver
{
    /// <summary>
    /// A resolver asking <paramref name="servers"/> (<c>ip</c> or <c>ip:port</c>) with <paramref name="timeout"/>, or null
    /// for the system's; <paramref name="setting"/> is the configuration key they come from, named in the error for a bad one.
    /// </summary>
    public static HostResolver? Using(IReadOnlyList<string> servers, TimeSpan timeout, string setting)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0)
        {
            return null;
        }

        var endpoints = servers.Select(value => IPEndPoint.TryParse(value, out var endpoint)
            ? (endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
            : throw new InvalidOperationException($"'{value}' in {setting} is not an IP address or ip:port.")).ToArray();
        var client = new LookupClient(new LookupClientOptions(endpoints)
        {
            // The answer is checked at every delivery, so a cached one would only let a change of address go unnoticed.
            UseCache = false,
            Timeout = timeout,
            Retries = 1,
            ThrowDnsErrors = false,
        });
        return async (host, cancellationToken) =>
        {
            var addresses = new List<IPAddress>();
            foreach (var type in new[] { QueryType.A, QueryType.AAAA })
            {
                var response = await client.QueryAsync(host, type, cancellationToken: cancellationToken);
                addresses.AddRange(response.Answers.ARecords().Select(r => r.Address));
                addresses.AddRange(response.Answers.AaaaRecords().Select(r => r.Address));
            }

            return [.. addresses];
        };
    }
}
