using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;

namespace OnTrackio.Web.Pages.Account;

[AllowAnonymous]
[AllowWithoutMfaEnrolment]
public sealed class SignOutModel(SignInManager<WorkspaceUser> signIn, UserManager<WorkspaceUser> users, AuditTrail audit) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        await signIn.SignOutAsync();
        if (user is not null)
        {
            await audit.RecordAsync(AuditEventType.SignedOut, user.Id, user.Email, null, HttpContext.RequestAborted);
        }

        return LocalRedirect("/");
    }
}
