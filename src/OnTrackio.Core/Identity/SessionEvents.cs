using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Identity;

/// <summary>Ties the session cookie to a server-side <see cref="UserSession"/>: created at sign-in, checked on use, ended at sign-out.</summary>
internal static class SessionEvents
{
    public static async Task StartAsync(CookieSigningInContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return;
        }

        // A sign-in is a proof of identity; a re-authentication re-signs the same session with its own stamp.
        if (!identity.HasClaim(c => c.Type == RecentAuthentication.ClaimType))
        {
            var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            RecentAuthentication.Stamp(identity, time.GetUtcNow());
        }

        if (identity.HasClaim(c => c.Type == WorkspaceSessions.ClaimType))
        {
            return;
        }

        var userId = Guid.Parse(identity.FindFirst(ClaimTypes.NameIdentifier)!.Value);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<WorkspaceSessions>();
        var sessionId = await sessions.StartAsync(userId, context.HttpContext.RequestAborted);
        identity.AddClaim(new Claim(WorkspaceSessions.ClaimType, sessionId.ToString()));
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null)
        {
            return;
        }

        var sessions = context.HttpContext.RequestServices.GetRequiredService<WorkspaceSessions>();
        if (!Guid.TryParse(context.Principal.FindFirst(WorkspaceSessions.ClaimType)?.Value, out var sessionId)
            || !await sessions.IsActiveAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    public static async Task EndAsync(CookieSigningOutContext context)
    {
        var principal = context.HttpContext.User;
        if (Guid.TryParse(principal.FindFirst(WorkspaceSessions.ClaimType)?.Value, out var sessionId)
            && Guid.TryParse(principal.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var userId))
        {
            var sessions = context.HttpContext.RequestServices.GetRequiredService<WorkspaceSessions>();
            await sessions.EndAsync(userId, sessionId, context.HttpContext.RequestAborted);
        }
    }

    /// <summary>A principal rebuilt by the security-stamp check keeps its session, the time of its last proof and how it signed in.</summary>
    public static Task CarryOver(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is null || context.NewPrincipal?.Identity is not ClaimsIdentity identity)
        {
            return Task.CompletedTask;
        }

        foreach (var type in new[] { WorkspaceSessions.ClaimType, RecentAuthentication.ClaimType })
        {
            if (context.CurrentPrincipal.FindFirst(type) is { } claim)
            {
                identity.AddClaim(new Claim(type, claim.Value, claim.ValueType));
            }
        }

        // How the session signed in (amr=mfa spares it the MFA policy check) outlives the refresh too.
        foreach (var amr in context.CurrentPrincipal.FindAll(Mfa.MfaEnforcement.AmrClaimType).Where(c => !identity.HasClaim(c.Type, c.Value)))
        {
            identity.AddClaim(new Claim(amr.Type, amr.Value, amr.ValueType));
        }

        return Task.CompletedTask;
    }
}
