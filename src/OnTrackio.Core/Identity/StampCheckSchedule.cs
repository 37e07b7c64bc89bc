using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OnTrackio.Identity;

/// <summary>
/// Whether Identity's security-stamp check is due for a cookie. The answer is the one <see cref="SecurityStampValidator{TUser}"/>
/// itself gives first (same options, same clock, same comparison); asking it here saves resolving the validator, whose
/// SignInManager, UserManager, token providers and metrics are built per request only to be told "not yet". Profiling
/// the authenticated load showed that construction as most of a session's cost. If a custom ISecurityStampValidator is
/// ever registered that checks on another schedule, this must change with it.
/// </summary>
internal static class StampCheckSchedule
{
    public static bool IsDue(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var issuedUtc = context.Properties.IssuedUtc;
        return issuedUtc is null || (options.TimeProvider ?? TimeProvider.System).GetUtcNow() - issuedUtc.Value > options.ValidationInterval;
    }
}
