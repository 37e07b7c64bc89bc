using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;

namespace OnTrackio.Identity.Mfa;

/// <summary>Re-issues the current session's cookie after its second factors changed, keeping its id and last proof.</summary>
public static class MfaSession
{
    /// <summary>
    /// <paramref name="hasSecondFactor"/> says whether the session now counts as using a second factor (<c>amr=mfa</c>):
    /// true after enrolling in it, false after removing the authenticator, so that the policy check looks again.
    /// </summary>
    public static async Task ReissueAsync(HttpContext http, SignInManager<WorkspaceUser> signIn, WorkspaceUser user, bool hasSecondFactor)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(signIn);

        // A fresh principal carries the new security stamp; without it the next stamp check would end this session.
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        foreach (var claim in http.User.Claims.Where(c => c.Type is WorkspaceSessions.ClaimType or RecentAuthentication.ClaimType
            || (c.Type == MfaEnforcement.AmrClaimType && c.Value != MfaEnforcement.MfaValue)))
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
        }

        if (hasSecondFactor)
        {
            identity.AddClaim(new Claim(MfaEnforcement.AmrClaimType, MfaEnforcement.MfaValue));
        }

        var current = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, current.Properties ?? new AuthenticationProperties());
    }
}
