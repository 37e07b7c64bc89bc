using System.Net;
using OnTrackio.Outbound;

namespace OnTrackio.Webhooks;

/// <summary>
/// The rules for an endpoint URL, checked when an admin saves it: absolute <c>https://</c>, no credentials or
/// fragment, and not an internal address written literally. Names are checked at every delivery instead, when they
/// are resolved (<see cref="PublicAddresses"/>): what a name resolves to today says nothing about tomorrow.
/// </summary>
public static class WebhookUrl
{
    public static bool TryParse(string? value, bool allowLoopback, out Uri url, out string error)
    {
        url = null!;
        error = string.Empty;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "The URL is required.";
            return false;
        }

        if (text.Length > WebhookSubscription.MaxUrlLength)
        {
            error = $"The URL is longer than {WebhookSubscription.MaxUrlLength} characters.";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = "The URL must be an absolute https:// URL, such as https://hooks.example.com/ontrackio.";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            error = "The URL cannot hold a user name, password or fragment: the signature proves where events come from.";
            return false;
        }

        var loopback = IsLoopback(uri);
        if (uri.Scheme == Uri.UriSchemeHttp && !(allowLoopback && loopback))
        {
            error = "The URL must use https://: events would otherwise cross the network in clear.";
            return false;
        }

        if ((uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && !PublicAddresses.IsPublic(IPAddress.Parse(uri.IdnHost.Trim('[', ']'))) && !(allowLoopback && loopback))
            || (uri.HostNameType == UriHostNameType.Dns && loopback && !allowLoopback))
        {
            error = "The URL points at a loopback, private, link-local or otherwise internal address: events go only to public addresses.";
            return false;
        }

        url = uri;
        return true;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? IPAddress.Parse(uri.IdnHost.Trim('[', ']')) is var address && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
            : uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
}
