namespace OnTrackio.Identity.Sso;

/// <summary>
/// The rules for an issuer URL, checked when an admin saves it and again whenever handler options are built from it
/// (the platform flag may have changed since). Reachability is not checked here: a private address is accepted, which
/// the README records as a known SSRF limit of admin-supplied URLs.
/// </summary>
public static class SsoAuthority
{
    public static bool TryParse(string? value, bool allowLoopbackHttp, out Uri authority, out string error)
    {
        authority = null!;
        error = string.Empty;
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            error = "The authority must be an absolute https:// URL, such as https://login.example.com/.";
            return false;
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            error = "The authority is the issuer URL alone: no user name, query string or fragment.";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !(allowLoopbackHttp && uri.IsLoopback))
        {
            error = "The authority must use https://: the client secret and the tokens would otherwise cross the network in clear.";
            return false;
        }

        if (uri.AbsoluteUri.Length > 500)
        {
            error = "The authority is longer than 500 characters.";
            return false;
        }

        authority = uri;
        return true;
    }
}
