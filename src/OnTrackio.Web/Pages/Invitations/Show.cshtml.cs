using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages.Invitations;

public sealed class ShowModel(WorkspaceContext workspace, WorkspaceDbContext db, TimeProvider time) : PageModel
{
    public InvitationView? Invitation { get; private set; }

    public string WorkspaceName => workspace.Current.DisplayName;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        // The token is looked up only in this host's workspace database: a link from another workspace finds nothing.
        Invitation = await FindInvitation.ExecuteAsync(db, token, time.GetUtcNow(), cancellationToken);
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return Invitation is null ? NotFound() : Page();
    }
}
