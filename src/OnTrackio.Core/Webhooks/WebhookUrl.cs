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

        // An address however it is spelt: IPv6 in brackets, or IPv4 in any form IPAddress reads (2130706433 is 127.0.0.1).
        var literal = IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) ? address : null;
        var loopback = literal is not null
            ? IPAddress.IsLoopback(literal.IsIPv4MappedToIPv6 ? literal.MapToIPv4() : literal)
            : uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        if (uri.Scheme == Uri.UriSchemeHttp && !(allowLoopback && loopback))
        {
            error = "The URL must use https://: events would otherwise cross the network in clear.";
            return false;
        }

        if ((literal is not null && !PublicAddresses.IsPublic(literal) && !(allowLoopback && loopback)) || (literal is null && loopback && !allowLoopback))
        {
            error = "The URL points at a loopback, private, link-local or otherwise internal address: events go only to public addresses.";
            return false;
        }

        url = uri;
        return true;
    }
}
