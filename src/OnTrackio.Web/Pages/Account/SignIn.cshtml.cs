using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Sso;

namespace OnTrackio.Web.Pages.Account;

[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SignInModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit) : PageModel
{
    public string? Email { get; private set; }

    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, [FromServices] SsoPolicy sso)
    {
        Email = email;
        ReturnUrl = returnUrl;

        // Required single sign-on turns passwords off for everyone but the break-glass Owner, before any is checked.
        if (!await sso.AllowsPasswordAsync(email, HttpContext.RequestAborted))
        {
            await audit.RecordAsync(AuditEventType.SignInFailed, null, Truncate(email), "password refused: single sign-on required", HttpContext.RequestAborted);
            Error = "This workspace signs in with single sign-on: use the single sign-on button.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(email ?? string.Empty, password ?? string.Empty, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            // The password was right; the second step decides, and audits the outcome.
            return Redirect("/account/mfa" + (Url.IsLocalUrl(returnUrl) ? $"?returnUrl={Uri.EscapeDataString(returnUrl!)}" : string.Empty));
        }

        var user = await signIn.UserManager.FindByEmailAsync(email ?? string.Empty);
        var type = result.Succeeded ? AuditEventType.SignedIn : result.IsLockedOut ? AuditEventType.LockedOut : AuditEventType.SignInFailed;
        await audit.RecordAsync(type, user?.Id, user?.Email ?? Truncate(email), "password", HttpContext.RequestAborted);
        if (result.Succeeded)
        {
            // Only a path on this host: never another host, so never another workspace.
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }

        Error = result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a while. Try again later."
            : "Email or password is not right.";
        Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string? Truncate(string? value) => value is null ? null : value[..Math.Min(value.Length, 254)];
}
