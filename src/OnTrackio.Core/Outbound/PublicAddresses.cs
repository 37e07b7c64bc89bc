using System.Net;
using System.Net.Sockets;

namespace OnTrackio.Outbound;

/// <summary>
/// Which addresses the platform may connect to on a customer's behalf (an SSO provider's metadata, webhook
/// targets): public unicast only. A customer-supplied URL must not reach the platform's own network, the cloud's
/// metadata service or loopback, however its host is spelt (decimal, IPv4-mapped IPv6) or resolved.
/// </summary>
public static class PublicAddresses
{
    private static readonly (IPAddress Network, int PrefixLength)[] Refused =
    [
        (IPAddress.Parse("0.0.0.0"), 8),          // "this network"
        (IPAddress.Parse("10.0.0.0"), 8),         // private
        (IPAddress.Parse("100.64.0.0"), 10),      // carrier-grade NAT
        (IPAddress.Parse("127.0.0.0"), 8),        // loopback
        (IPAddress.Parse("169.254.0.0"), 16),     // link-local, including 169.254.169.254 (cloud metadata)
        (IPAddress.Parse("172.16.0.0"), 12),      // private
        (IPAddress.Parse("192.0.0.0"), 24),       // IETF protocol assignments
        (IPAddress.Parse("192.0.2.0"), 24),       // documentation
        (IPAddress.Parse("192.168.0.0"), 16),     // private
        (IPAddress.Parse("198.18.0.0"), 15),      // benchmarking
        (IPAddress.Parse("198.51.100.0"), 24),    // documentation
        (IPAddress.Parse("203.0.113.0"), 24),     // documentation
        (IPAddress.Parse("224.0.0.0"), 4),        // multicast
        (IPAddress.Parse("240.0.0.0"), 4),        // reserved, and broadcast
        (IPAddress.Parse("::"), 128),             // unspecified
        (IPAddress.Parse("::1"), 128),            // loopback
        (IPAddress.Parse("64:ff9b::"), 96),       // NAT64: embeds an IPv4 address
        (IPAddress.Parse("100::"), 64),           // discard
        (IPAddress.Parse("2001:db8::"), 32),      // documentation
        (IPAddress.Parse("2002::"), 16),          // 6to4: embeds an IPv4 address
        (IPAddress.Parse("fc00::"), 7),           // unique local, including fd00:ec2::254 (cloud metadata)
        (IPAddress.Parse("fe80::"), 10),          // link-local
        (IPAddress.Parse("ff00::"), 8),           // multicast
    ];

    /// <summary>True for a public unicast address; an IPv4-mapped IPv6 address is judged as the IPv4 address it carries.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && (address.IsIPv6SiteLocal || address.IsIPv6Teredo))
        {
            return false;
        }

        return !Refused.Any(range => range.Network.AddressFamily == address.AddressFamily
            && new IPNetwork(range.Network, range.PrefixLength).Contains(address));
    }

    /// <summary>
    /// Resolves <paramref name="host"/> (or reads it, when it is an address literal) and returns its addresses, or
    /// throws <see cref="HttpRequestException"/> when it has none or any of them is not public (unless
    /// <paramref name="allowLoopback"/> and the address is loopback, for tests). Every address must pass, not just one:
    /// a name that answers with a public and a private address could otherwise be steered to the private one.
    /// </summary>
    public static async Task<IPAddress[]> ResolveCheckedAsync(string host, bool allowLoopback, HostResolver? resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(bare, out var literal)
            ? [literal]
            : await (resolve ?? SystemResolver)(bare, cancellationToken);
        var refused = addresses.Where(a => !IsPublic(a) && !(allowLoopback && IPAddress.IsLoopback(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a))).ToList();
        if (addresses.Length == 0 || refused.Count > 0)
        {
            throw new HttpRequestException(
                $"Refused to connect to {host}: it resolves to {(addresses.Length == 0 ? "no address" : "an address that is not public")}.");
        }

        return addresses;
    }

    /// <summary>
    /// A connection step for <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host once (through
    /// <paramref name="resolve"/>, else the system's resolver), refuses it if any of its addresses is not public (unless
    /// <paramref name="allowLoopback"/> and the address is loopback, for tests), and connects to an address it checked —
    /// so a second resolution cannot swap in another (DNS rebinding).
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectGuarded(bool allowLoopback, HostResolver? resolve = null) =>
        async (context, cancellationToken) =>
        {
            var addresses = await ResolveCheckedAsync(context.DnsEndPoint.Host, allowLoopback, resolve, cancellationToken);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    private static readonly HostResolver SystemResolver = async (host, cancellationToken) => await Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>Host name → addresses: the system's resolver by default, or the DNS servers an operator names (<see cref="DnsHostResolver"/>).</summary>
public delegate ValueTask<IPAddress[]> HostResolver(string host, CancellationToken cancellationToken);
