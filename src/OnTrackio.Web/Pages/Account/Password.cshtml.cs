using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

/// <summary>Asks for the current password (re-authentication), then ends every session and starts a fresh one here.</summary>
[Authorize]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class PasswordModel(
    UserManager<WorkspaceUser> users, SignInManager<WorkspaceUser> signIn, WorkspaceSessions sessions, AuditTrail audit) : PageModel
{
    public bool Done { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, currentPassword ?? string.Empty, newPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            Error = string.Join(" ", result.Errors.Select(e => e.Description));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await sessions.RevokeAsync(user.Id, except: null, cancellationToken);
        await audit.RecordAsync(AuditEventType.PasswordChanged, user.Id, user.Email, null, cancellationToken);
        await signIn.SignInAsync(user, isPersistent: false);
        Done = true;
        return Page();
    }
}
