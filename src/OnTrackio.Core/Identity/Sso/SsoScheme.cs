namespace OnTrackio.Identity.Sso;

/// <summary>The one OpenID Connect authentication scheme; its options differ per workspace (<see cref="SsoHandlerOptions"/>).</summary>
public static class SsoScheme
{
    public const string Name = "sso";

    public const string DisplayName = "Single sign-on";

    /// <summary>Every page and callback of the flow lives here; only these requests load the workspace's handler options.</summary>
    public const string PathPrefix = "/account/sso";

    public const string CallbackPath = PathPrefix + "/callback-oidc";

    public const string CompletePath = PathPrefix + "/complete";

    /// <summary>
    /// Logins are linked per issuer: the same <c>sub</c> at another provider is another person, so a workspace that
    /// moves to a new provider does not hand old accounts to whoever holds the same subject there.
    /// </summary>
    public static string LoginProvider(string issuer) => "sso:" + issuer;
}
