using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Asks a signed-in person to prove again who they are, and re-stamps the same session (its id, and so the list of
/// sessions, stays). Failures count toward lockout like a sign-in.
/// </summary>
[Authorize]
[AllowWithoutMfaEnrolment]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ReauthenticateModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit, TimeProvider time) : PageModel
{
    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Whether to offer a code from the authenticator app as the proof, beside the password.</summary>
    public bool HasAuthenticator { get; private set; }

    public async Task OnGetAsync(string? returnUrl)
    {
        ReturnUrl = returnUrl;
        HasAuthenticator = await signIn.UserManager.GetUserAsync(User) is { } user && await signIn.UserManager.GetTwoFactorEnabledAsync(user);
    }

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
            HasAuthenticator = await signIn.UserManager.GetTwoFactorEnabledAsync(user);
            Error = result.IsLockedOut
                ? "Too many failed attempts: this account is locked for a while."
                : "That password is not right.";
            Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
            return Page();
        }

        await SessionReissue.RestampAsync(HttpContext, signIn, user, time.GetUtcNow());
        await audit.RecordAsync(AuditEventType.Reauthenticated, user.Id, user.Email, "password", cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>
    /// A code from the authenticator app as the proof. The code's step is spent like at sign-in, so a code seen on
    /// the screen cannot be used again; failures count toward the same lockout as passwords.
    /// </summary>
    public async Task<IActionResult> OnPostCodeAsync(string? code, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        HasAuthenticator = true;
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var locked = await users.IsLockedOutAsync(user);
        if (!locked && await users.VerifyTwoFactorTokenAsync(user, TokenOptions.DefaultAuthenticatorProvider, code ?? string.Empty))
        {
            await users.ResetAccessFailedCountAsync(user);
            await SessionReissue.RestampAsync(HttpContext, signIn, user, time.GetUtcNow());
            await audit.RecordAsync(AuditEventType.Reauthenticated, user.Id, user.Email, "authenticator app", cancellationToken);
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }

        if (!locked)
        {
            await users.AccessFailedAsync(user);
            locked = await users.IsLockedOutAsync(user);
        }

        await audit.RecordAsync(locked ? AuditEventType.LockedOut : AuditEventType.MfaChallengeFailed, user.Id, user.Email, "re-authentication", cancellationToken);
        Error = locked ? "Too many failed attempts: this account is locked for a while." : "That code is not right, or was used already.";
        Response.StatusCode = locked ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
        return Page();
    }
}
