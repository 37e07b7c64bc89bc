using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Usernameless sign-in with a passkey of this workspace. The options ask for any discoverable credential of this
/// relying party (the workspace's host); Identity then verifies the assertion against the passkeys in this
/// workspace's database only, so a passkey of another workspace finds no account here. Both posts count toward the
/// sign-in rate limit.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class PasskeySignInModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit) : PageModel
{
    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Account/SignIn");

    public async Task<IActionResult> OnPostOptionsAsync() =>
        Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json");

    public async Task<IActionResult> OnPostAsync(string? credential, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var result = await SignInAsync(credential);
        var claimed = ClaimedCredential.Read(credential);
        var user = claimed.UserId is { } id ? await signIn.UserManager.FindByIdAsync(id.ToString()) : null;
        if (result.Succeeded)
        {
            // Identity verified the user handle against the stored passkey, so the claimed account is now the proven one.
            var passkey = user is not null && claimed.Id is { } credentialId ? await signIn.UserManager.GetPasskeyAsync(user, credentialId) : null;
            await audit.RecordAsync(AuditEventType.PasskeySignIn, user?.Id, user?.Email, PasskeyLabel(passkey?.Name), cancellationToken);

            // Only a path on this host: never another host, so never another workspace.
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }

        // The account named by an unverified assertion is recorded as the claimed one, like the email of a failed password.
        await audit.RecordAsync(result.IsLockedOut ? AuditEventType.LockedOut : AuditEventType.SignInFailed, user?.Id, user?.Email, "passkey", cancellationToken);
        Error = result.IsLockedOut
            ? "This account is locked for a while. Try again later."
            : "That passkey did not sign you in here. Passkeys work only at the address where they were added.";
        Response.StatusCode = result.IsLockedOut ? StatusCodes.Status423Locked : StatusCodes.Status400BadRequest;
        return Page();
    }

    internal static string PasskeyLabel(string? name) => string.IsNullOrEmpty(name) ? "passkey" : $"passkey \"{name}\"";

    private async Task<Microsoft.AspNetCore.Identity.SignInResult> SignInAsync(string? credential)
    {
        if (!ClaimedCredential.IsPlausible(credential))
        {
            return Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }

        try
        {
            return await signIn.PasskeySignInAsync(credential!);
        }
        catch (InvalidOperationException)
        {
            // Identity throws when no ceremony was started in this browser (no options fetched here, or used already):
            // a credential posted out of the blue is a failed attempt, not a server error.
            return Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }
    }
}
