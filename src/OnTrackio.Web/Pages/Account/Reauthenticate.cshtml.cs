using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Asks a signed-in person to prove again who they are, and re-stamps the same session (its id, and so the list of
/// sessions, stays). Failures count toward lockout like a sign-in.
/// </summary>
[Authorize]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ReauthenticateModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit, TimeProvider time) : PageModel
{
    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? password, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password ?? string.Empty, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            await audit.RecordAsync(result.IsLockedOut ? AuditEventType.LockedOut : AuditEventType.SignInFailed, user.Id, user.Email, "re-authentication", cancellationToken);
            Error = result.IsLockedOut
                ? "Too many failed attempts: this account is locked for a while."
                : "That password is not right.";
            Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
            return Page();
        }

        await RestampAsync(HttpContext, signIn, user, time.GetUtcNow());
        await audit.RecordAsync(AuditEventType.Reauthenticated, user.Id, user.Email, "password", cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>Re-issues the session cookie with a fresh proof time, keeping the session id.</summary>
    internal static async Task RestampAsync(HttpContext http, SignInManager<WorkspaceUser> signIn, WorkspaceUser user, DateTimeOffset now)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        if (http.User.FindFirst(WorkspaceSessions.ClaimType) is { } session)
        {
            identity.AddClaim(new Claim(session.Type, session.Value));
        }

        RecentAuthentication.Stamp(identity, now);
        var current = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principal, current.Properties ?? new AuthenticationProperties());
    }
}
