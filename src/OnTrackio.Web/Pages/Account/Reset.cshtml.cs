using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Sso;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Sets a new password from an emailed token. The token is bound to the user's security stamp (one use) and only
/// this workspace's database knows the user, so a link from another workspace finds no one. All sessions end.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ResetModel(UserManager<WorkspaceUser> users, WorkspaceSessions sessions, AuditTrail audit, SsoPolicy sso) : PageModel
{
    public string? UserId { get; private set; }

    public string? Token { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? user, string? token)
    {
        UserId = user;
        Token = token;
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public async Task<IActionResult> OnPostAsync(string? user, string? token, string? newPassword, CancellationToken cancellationToken)
    {
        (UserId, Token) = (user, token);
        var account = Guid.TryParse(user, out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (account is not null && !await sso.AllowsPasswordAsync(account, cancellationToken))
        {
            Error = "This workspace signs in with single sign-on: passwords are not used here.";
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token ?? string.Empty));
        }
        catch (FormatException)
        {
            decoded = string.Empty;
        }

        var result = account is null
            ? IdentityResult.Failed(new IdentityError { Description = "This link is not valid." })
            : await users.ResetPasswordAsync(account, decoded, newPassword ?? string.Empty);
        if (!result.Succeeded)
        {
            Error = result.Errors.Any(e => e.Code == "InvalidToken") || account is null
                ? "This link is not valid any more. Ask for a new one."
                : string.Join(" ", result.Errors.Select(e => e.Description));
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await sessions.RevokeAsync(account!.Id, except: null, cancellationToken);
        await audit.RecordAsync(AuditEventType.PasswordReset, account.Id, account.Email, null, cancellationToken);
        return LocalRedirect("/account/sign-in");
    }
}
