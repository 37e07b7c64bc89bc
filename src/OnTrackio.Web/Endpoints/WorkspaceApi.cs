using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Endpoints;

public sealed record WorkspaceInfo(Guid Id, string Slug, string Name, string Region, DateTimeOffset CreatedAt);

public sealed record CurrentUser(Guid Id, string Email, IReadOnlyList<string> Roles);

/// <summary>The REST API's workspace-scoped root. Every endpoint here reads the workspace resolved from the host.</summary>
internal static class WorkspaceApi
{
    public static void MapWorkspaceApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");

        // What the workspace's own database says about itself: its stamp must match the host's workspace.
        api.MapGet("/workspace", async (WorkspaceContext workspace, WorkspaceDbContext db, CancellationToken cancellationToken) =>
        {
            var profile = await db.Profile.AsNoTracking().SingleAsync(cancellationToken);
            var current = workspace.Current;
            return TypedResults.Ok(new WorkspaceInfo(profile.WorkspaceId, current.Slug, current.DisplayName, current.RegionId, profile.CreatedAt));
        });

        // Who the session belongs to, read from this workspace's own user table.
        api.MapGet("/me", async (ClaimsPrincipal principal, UserManager<WorkspaceUser> users) =>
        {
            var user = await users.GetUserAsync(principal);
            return user is null
                ? Results.Unauthorized()
                : Results.Ok(new CurrentUser(user.Id, user.Email!, [.. await users.GetRolesAsync(user)]));
        }).RequireAuthorization();
    }
}
