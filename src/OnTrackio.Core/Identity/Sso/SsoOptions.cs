namespace OnTrackio.Identity.Sso;

/// <summary>Platform-wide settings of single sign-on (<c>OnTrackio:Sso</c>); what each workspace configures is <see cref="SsoConfiguration"/>.</summary>
public sealed class SsoOptions
{
    public const string Section = "OnTrackio:Sso";

    /// <summary>
    /// Accept an <c>http://</c> authority when it is a loopback address. Off in every real deployment: tokens and the
    /// client secret would cross the network in clear. Tests turn it on for their provider on 127.0.0.1.
    /// </summary>
    public bool AllowLoopbackHttpAuthority { get; set; }
}
