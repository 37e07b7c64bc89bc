using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages;

[AllowAnonymous]
public sealed class IndexModel(WorkspaceContext workspace, WorkspaceDbContext db) : PageModel
{
    public ResolvedWorkspace Workspace => workspace.Current;

    public DateTimeOffset CreatedAt { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var profile = await db.Profile.AsNoTracking().SingleAsync(cancellationToken);
        CreatedAt = profile.CreatedAt;
    }
}
