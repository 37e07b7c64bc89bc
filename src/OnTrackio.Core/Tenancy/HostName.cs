using System.Globalization;
using System.Net;

namespace OnTrackio.Tenancy;

/// <summary>
/// Normalises a Host header to the one form the catalog stores: lower case, no port, no trailing dot, IDN as punycode.
/// Anything that is not a syntactically valid DNS name or IP literal is refused.
/// </summary>
public static class HostName
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    public static bool TryNormalize(string? raw, out string hostname)
    {
        hostname = string.Empty;
        if (string.IsNullOrEmpty(raw) || raw.Length > 300 || raw.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        if (!TryStripPort(raw, out var host, out var isIpv6))
        {
            return false;
        }

        if (isIpv6)
        {
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            hostname = $"[{address}]";
            return true;
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Length == 0)
        {
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(host.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return false;
        }

        ascii = ascii.ToLowerInvariant();
        if (ascii.Length > 253 || !ascii.Split('.').All(IsLabel))
        {
            return false;
        }

        hostname = ascii;
        return true;
    }

    /// <summary>Whether a normalised host names this machine, the only place plain HTTP is allowed.</summary>
    public static bool IsLoopback(string hostname) =>
        hostname is "localhost" or "[::1]"
        || hostname.EndsWith(".localhost", StringComparison.Ordinal)
        || (IPAddress.TryParse(hostname, out var address) && IPAddress.IsLoopback(address));

    private static bool TryStripPort(string raw, out string host, out bool isIpv6)
    {
        isIpv6 = raw.StartsWith('[');
        string rest;
        if (isIpv6)
        {
            var close = raw.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                host = string.Empty;
                return false;
            }

            host = raw[1..close];
            rest = raw[(close + 1)..];
        }
        else
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? raw : raw[..colon];
            rest = colon < 0 ? string.Empty : raw[colon..];
        }

        return rest.Length == 0
            || (rest[0] == ':' && rest.Length is > 1 and <= 6 && rest[1..].All(char.IsAsciiDigit));
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
