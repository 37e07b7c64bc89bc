using System.Globalization;
using System.Security.Claims;

namespace OnTrackio.Identity;

/// <summary>
/// When the person behind a session last proved who they are (signed in, or re-authenticated). Changing a second
/// factor or a passkey asks for a recent proof, so a session left open on someone else's screen cannot be used to
/// take the account over.
/// </summary>
public static class RecentAuthentication
{
    /// <summary>Unix seconds of the last proof, carried in the session cookie next to the session id.</summary>
    public const string ClaimType = "ontrackio:auth_time";

    /// <summary>How long a proof counts as recent.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public const string ReauthenticatePath = "/account/reauthenticate";

    public static void Stamp(ClaimsIdentity identity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (var old in identity.FindAll(ClaimType).ToList())
        {
            identity.RemoveClaim(old);
        }

        identity.AddClaim(new Claim(ClaimType, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
    }

    public static DateTimeOffset? Of(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return long.TryParse(principal.FindFirst(ClaimType)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    public static bool IsRecent(ClaimsPrincipal principal, DateTimeOffset now) =>
        Of(principal) is { } proven && now - proven <= Window && proven <= now + TimeSpan.FromMinutes(1);
}
