using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages.Invitations;

[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ShowModel(WorkspaceContext workspace, WorkspaceDbContext db, TimeProvider time) : PageModel
{
    public InvitationView? Invitation { get; private set; }

    public string WorkspaceName => workspace.Current.DisplayName;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        // The token is looked up only in this host's workspace database: a link from another workspace finds nothing.
        Invitation = await FindInvitation.ExecuteAsync(db, token, time.GetUtcNow(), cancellationToken);
        Private();
        return Invitation is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(
        string token,
        string? displayName,
        string? password,
        [FromServices] AcceptInvitation accept,
        [FromServices] SignInManager<WorkspaceUser> signIn,
        CancellationToken cancellationToken)
    {
        Private();
        try
        {
            var user = await accept.ExecuteAsync(token, displayName, password, cancellationToken);
            await signIn.SignInAsync(user, isPersistent: false);
            return LocalRedirect("/");
        }
        catch (OperationRefusedException ex)
        {
            Invitation = await FindInvitation.ExecuteAsync(db, token, time.GetUtcNow(), cancellationToken);
            if (Invitation is null)
            {
                return NotFound();
            }

            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    private void Private()
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
