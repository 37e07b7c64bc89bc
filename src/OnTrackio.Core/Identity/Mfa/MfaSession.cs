using System.Security.Claims;
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
    public static Task ReissueAsync(HttpContext http, SignInManager<WorkspaceUser> signIn, WorkspaceUser user, bool hasSecondFactor) =>
        SessionReissue.ReissueAsync(http, signIn, user, identity =>
        {
            foreach (var mfa in identity.FindAll(c => c.Type == MfaEnforcement.AmrClaimType && c.Value == MfaEnforcement.MfaValue).ToList())
            {
                identity.RemoveClaim(mfa);
            }

            if (hasSecondFactor)
            {
                identity.AddClaim(new Claim(MfaEnforcement.AmrClaimType, MfaEnforcement.MfaValue));
            }
        });
}
