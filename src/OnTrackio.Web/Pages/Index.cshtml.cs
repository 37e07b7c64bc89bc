using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Dashboard;
using OnTrackio.Identity;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages;

/// <summary>
/// The workspace home: for someone who may read the register, the dashboard (the page they land on after signing in);
/// for everyone else, the workspace's name and how to sign in.
/// </summary>
[AllowAnonymous]
public sealed class IndexModel(WorkspaceContext workspace, WorkspaceDbContext db, IAuthorizationService authorization) : PageModel
{
    public ResolvedWorkspace Workspace => workspace.Current;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Null unless the user holds assets.read.</summary>
    public DashboardView? Dashboard { get; private set; }

    public async Task OnGetAsync([Microsoft.AspNetCore.Mvc.FromServices] DashboardQueries dashboard, CancellationToken cancellationToken)
    {
        var profile = await db.Profile.AsNoTracking().SingleAsync(cancellationToken);
        CreatedAt = profile.CreatedAt;
        if (User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(User, Permissions.AssetsRead)).Succeeded)
        {
            Dashboard = await dashboard.LoadAsync(cancellationToken);
        }
    }
}
