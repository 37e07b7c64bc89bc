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
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == WorkspaceSessions.ClaimType))
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

    public static Task CarryOver(SecurityStampRefreshingPrincipalContext context)
    {
        var session = context.CurrentPrincipal?.FindFirst(WorkspaceSessions.ClaimType);
        if (session is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity)
        {
            identity.AddClaim(new Claim(WorkspaceSessions.ClaimType, session.Value));
        }

        return Task.CompletedTask;
    }
}
