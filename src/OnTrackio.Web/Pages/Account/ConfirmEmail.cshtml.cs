using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// The emailed link opens a form and only the POST changes anything, because mail scanners open links on their own.
/// Anonymous: the token proves control of the new address and was issued to a signed-in user.
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(ConfirmEmailChange confirm, SignInManager<WorkspaceUser> signIn) : PageModel
{
    public string? UserId { get; private set; }

    public string? Email { get; private set; }

    public string? Token { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? user, string? email, string? token)
    {
        (UserId, Email, Token) = (user, email, token);
        Private();
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(email) || string.IsNullOrEmpty(token))
        {
            Error = ConfirmEmailChange.InvalidLink;
        }
    }

    public async Task<IActionResult> OnPostAsync(string? user, string? email, string? token, CancellationToken cancellationToken)
    {
        Private();
        WorkspaceUser changed;
        try
        {
            changed = await confirm.ExecuteAsync(user, email, token, cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Every session of the account ended, this browser's too; if it was the account's own, it continues in a fresh one.
        if (signIn.UserManager.GetUserId(User) == changed.Id.ToString())
        {
            await signIn.SignInAsync(changed, isPersistent: false);
            TempData["Notice"] = $"Your address is now {changed.Email}. Every other session was signed out.";
            return RedirectToPage("/Account/Profile");
        }

        return LocalRedirect("/account/sign-in");
    }

    private void Private()
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
