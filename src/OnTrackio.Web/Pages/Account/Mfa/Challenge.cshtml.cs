using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;

namespace OnTrackio.Web.Pages.Account.Mfa;

/// <summary>
/// The second step of signing in, after the password: a code from the authenticator app or a recovery code. Identity's
/// short-lived two-factor cookie, bound to this workspace like the session cookie, says whose password was right.
/// Failures count toward the same lockout as passwords, and attempts share the sign-in rate limit.
/// </summary>
[AllowAnonymous]
[AllowWithoutMfaEnrolment]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ChallengeModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit) : PageModel
{
    private const string AuthenticatorApp = "authenticator app";
    private const string RecoveryCode = "recovery code";

    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = returnUrl;
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? StartOver() : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return StartOver();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(code ?? string.Empty, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            return await PassedAsync(user, AuthenticatorApp, cancellationToken);
        }

        // Identity locks the account on the failure that reaches the limit but reports it only at the next attempt.
        return await RefusedAsync(user, AuthenticatorApp, result.IsLockedOut || await signIn.UserManager.IsLockedOutAsync(user), cancellationToken);
    }

    public async Task<IActionResult> OnPostRecoveryAsync(string? recoveryCode, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return StartOver();
        }

        // Identity's recovery-code sign-in neither honours nor counts toward lockout (dotnet/aspnetcore#17184): done here.
        var users = signIn.UserManager;
        if (await users.IsLockedOutAsync(user))
        {
            return await RefusedAsync(user, RecoveryCode, locked: true, cancellationToken);
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode ?? string.Empty);
        if (result.Succeeded)
        {
            var left = await users.CountRecoveryCodesAsync(user);
            audit.Add(AuditEventType.RecoveryCodeUsed, user.Id, user.Email, $"{left} left");
            return await PassedAsync(user, RecoveryCode, cancellationToken);
        }

        await users.AccessFailedAsync(user);
        return await RefusedAsync(user, RecoveryCode, await users.IsLockedOutAsync(user), cancellationToken);
    }

    private async Task<IActionResult> PassedAsync(WorkspaceUser user, string method, CancellationToken cancellationToken)
    {
        audit.Add(AuditEventType.MfaChallengePassed, user.Id, user.Email, method);
        await audit.RecordAsync(AuditEventType.SignedIn, user.Id, user.Email, $"password + {method}", cancellationToken);

        // Only a path on this host: never another host, so never another workspace.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private async Task<IActionResult> RefusedAsync(WorkspaceUser user, string method, bool locked, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(locked ? AuditEventType.LockedOut : AuditEventType.MfaChallengeFailed, user.Id, user.Email, method, cancellationToken);
        Error = locked
            ? "Too many failed attempts: this account is locked for a while. Try again later."
            : method == RecoveryCode ? "That recovery code is not valid, or was used already." : "That code is not right, or was used already.";
        Response.StatusCode = locked ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>No password step in progress (or it expired): back to the start, keeping where the person was going.</summary>
    private RedirectResult StartOver() =>
        Redirect("/account/sign-in" + (Url.IsLocalUrl(ReturnUrl) ? $"?returnUrl={Uri.EscapeDataString(ReturnUrl!)}" : string.Empty));
}
