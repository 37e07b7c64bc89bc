using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Web.Filters;

namespace OnTrackio.Web.Pages.Account.Mfa;

/// <summary>Replaces the recovery codes and shows the new ones once; never cached by the browser or a proxy.</summary>
[Authorize]
[RequireRecentAuthentication]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class RecoveryCodesModel(UserManager<WorkspaceUser> users, SecondFactors factors, RegenerateRecoveryCodes regenerate) : PageModel
{
    public SecondFactorStatus? Status { get; private set; }

    public IReadOnlyList<string>? NewCodes { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Status = await factors.OfAsync(user, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        NewCodes = await regenerate.ExecuteAsync(user, cancellationToken);
        if (NewCodes is null)
        {
            Status = await factors.OfAsync(user, cancellationToken);
            Error = "There is no authenticator app for recovery codes to stand in for.";
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return Page();
    }
}
