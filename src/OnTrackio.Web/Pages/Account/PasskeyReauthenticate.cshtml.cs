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
/// Re-authentication with one of the signed-in person's own passkeys, as an alternative to the password: the options
/// list only their credentials, and an assertion by anyone else's passkey is refused even if it verifies.
/// </summary>
[Authorize]
[AllowWithoutMfaEnrolment]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class PasskeyReauthenticateModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit, TimeProvider time) : PageModel
{
    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet(string? returnUrl) => RedirectToPage("/Account/Reauthenticate", new { returnUrl });

    public async Task<IActionResult> OnPostOptionsAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        return user is null ? Challenge() : Content(await signIn.MakePasskeyRequestOptionsAsync(user), "application/json");
    }

    public async Task<IActionResult> OnPostAsync(string? credential, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var assertion = await AssertAsync(credential);
        var proven = assertion is { Succeeded: true, User: not null, Passkey: not null } && assertion.User.Id == user.Id;
        if (!proven || await signIn.UserManager.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(AuditEventType.SignInFailed, user.Id, user.Email, "re-authentication (passkey)", cancellationToken);
            Error = "That passkey did not confirm it's you. Try again, or use your password.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Keeps the signature counter current, as a passkey sign-in does: a cloned authenticator shows as a counter going back.
        await signIn.UserManager.AddOrUpdatePasskeyAsync(user, assertion!.Passkey!);
        await SessionReissue.RestampAsync(HttpContext, signIn, user, time.GetUtcNow());
        await audit.RecordAsync(AuditEventType.Reauthenticated, user.Id, user.Email, PasskeySignInModel.PasskeyLabel(assertion.Passkey!.Name), cancellationToken);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    private async Task<PasskeyAssertionResult<WorkspaceUser>?> AssertAsync(string? credential)
    {
        if (!ClaimedCredential.IsPlausible(credential))
        {
            return null;
        }

        try
        {
            return await signIn.PerformPasskeyAssertionAsync(credential!);
        }
        catch (InvalidOperationException)
        {
            // No ceremony was started in this browser: nothing to verify against.
            return null;
        }
    }
}
