using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Web.Filters;

namespace OnTrackio.Web.Pages.Account.Mfa;

/// <summary>Removes the authenticator app (and its recovery codes) after a recent proof of identity.</summary>
[Authorize]
[RequireRecentAuthentication]
public sealed class RemoveModel(SignInManager<WorkspaceUser> signIn, SecondFactors factors, RemoveTotp remove, WorkspaceSessions sessions) : PageModel
{
    public bool HasAuthenticator { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var status = await factors.OfAsync(user, cancellationToken);
        HasAuthenticator = status.TotpConfirmed || status.TotpPending;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        try
        {
            if (!await remove.ExecuteAsync(user, cancellationToken))
            {
                return Redirect("/account/security");
            }
        }
        catch (OperationRefusedException ex)
        {
            HasAuthenticator = true;
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        // Without the app, no session should keep passing as a second-factor one.
        await sessions.RevokeAsync(user.Id, Guid.TryParse(User.FindFirst(WorkspaceSessions.ClaimType)?.Value, out var current) ? current : null, cancellationToken);
        await MfaSession.ReissueAsync(HttpContext, signIn, user, hasSecondFactor: false);
        return Redirect("/account/security");
    }
}
