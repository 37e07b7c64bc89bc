using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using OnTrackio.Identity.Mfa;

namespace OnTrackio.Identity;

/// <summary>
/// Re-issues the current session's cookie for the same server-side session: a fresh principal (the new security
/// stamp, current roles) that keeps the session id, the time of the last proof and how the session signed in.
/// </summary>
public static class SessionReissue
{
    public static async Task ReissueAsync(HttpContext http, SignInManager<WorkspaceUser> signIn, WorkspaceUser user, Action<ClaimsIdentity>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);

        // Without the new stamp, the next stamp check would end this session.
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var claim in http.User.Claims.Where(c => c.Type is WorkspaceSessions.ClaimType or RecentAuthentication.ClaimType or MfaEnforcement.AmrClaimType))
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
        }

        adjust?.Invoke(identity);
        var current = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, current.Properties ?? new AuthenticationProperties());
    }

    /// <summary>After a re-authentication: the same session, with <paramref name="now"/> as its last proof.</summary>
    public static Task RestampAsync(HttpContext http, SignInManager<WorkspaceUser> signIn, WorkspaceUser user, DateTimeOffset now) =>
        ReissueAsync(http, signIn, user, identity => RecentAuthentication.Stamp(identity, now));
}
