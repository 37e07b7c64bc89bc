using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Endpoints;

public sealed record WorkspaceInfo(Guid Id, string Slug, string Name, string Region, DateTimeOffset CreatedAt);

public sealed record CurrentUser(Guid Id, string Email, IReadOnlyList<string> Roles);

public sealed record UserSummary(Guid Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool LockedOut);

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
        }).AllowAnonymous();

        // Who the session belongs to, read from this workspace's own user table.
        api.MapGet("/me", async (ClaimsPrincipal principal, UserManager<WorkspaceUser> users) =>
        {
            var user = await users.GetUserAsync(principal);
            return user is null
                ? Results.Unauthorized()
                : Results.Ok(new CurrentUser(user.Id, user.Email!, [.. await users.GetRolesAsync(user)]));
        }).RequireAuthorization();

        api.MapGet("/users", async (WorkspaceDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        {
            var roles = await (from link in db.UserRoles join role in db.Roles on link.RoleId equals role.Id select new { link.UserId, role.Name })
                .ToListAsync(cancellationToken);
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
            return Results.Ok(users.Select(u => new UserSummary(
                u.Id,
                u.Email!,
                u.DisplayName,
                [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!)],
                u.LockoutEnd > time.GetUtcNow())));
        }).RequireAuthorization(Permissions.UsersRead);

        api.MapPost("/invitations", async (
            InviteColleagueRequest request, ClaimsPrincipal principal, UserManager<WorkspaceUser> users, InviteColleague invite, CancellationToken cancellationToken) =>
        {
            var inviter = await users.GetUserAsync(principal);
            if (inviter is null)
            {
                return Results.Unauthorized();
            }

            var issued = await invite.ExecuteAsync(request, inviter, principal.IsInRole(WorkspaceRoles.Owner), cancellationToken);
            return Results.Ok(issued);
        }).RequireAuthorization(Permissions.UsersInvite);

        api.MapPut("/users/{id:guid}/roles", async (
            Guid id, ChangeUserRolesRequest request, ClaimsPrincipal principal, UserManager<WorkspaceUser> users, ChangeUserRoles change,
            CancellationToken cancellationToken) =>
        {
            var actor = await users.GetUserAsync(principal);
            if (actor is null)
            {
                return Results.Unauthorized();
            }

            var roles = await change.ExecuteAsync(id, request, actor, principal.IsInRole(WorkspaceRoles.Owner), cancellationToken);
            return Results.Ok(roles);
        }).RequireAuthorization(Permissions.UsersManage);
    }
}
