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

        // Who the session belongs to, read from this workspace's own tables: the user and their roles in one round
        // trip (UserManager would take two), so that a session costs no more than the checks it must make.
        api.MapGet("/me", async (ClaimsPrincipal principal, WorkspaceDbContext db, CancellationToken cancellationToken) =>
        {
            if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
            {
                return Results.Unauthorized();
            }

            var user = await db.Users.AsNoTracking()
                .Where(u => u.Id == id)
                .Select(u => new
                {
                    u.Id,
                    u.Email,
                    Roles = db.UserRoles.Where(link => link.UserId == u.Id).Join(db.Roles, link => link.RoleId, role => role.Id, (_, role) => role.Name!).ToList(),
                })
                .SingleOrDefaultAsync(cancellationToken);
            return user is null ? Results.Unauthorized() : Results.Ok(new CurrentUser(user.Id, user.Email!, user.Roles));
        }).RequireAuthorization();

        api.MapGet("/users", async (ListUsers list, CancellationToken cancellationToken) =>
            TypedResults.Ok(await list.ExecuteAsync(cancellationToken))).RequireAuthorization(Permissions.UsersRead);

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

        api.MapPost("/users/{id:guid}/lock", async (
            Guid id, ClaimsPrincipal principal, UserManager<WorkspaceUser> users, LockUser lockUser, CancellationToken cancellationToken) =>
        {
            var actor = await users.GetUserAsync(principal);
            if (actor is null)
            {
                return Results.Unauthorized();
            }

            return await lockUser.ExecuteAsync(id, actor, principal.IsInRole(WorkspaceRoles.Owner), cancellationToken)
                ? Results.NoContent()
                : NoSuchUser();
        }).RequireAuthorization(Permissions.UsersManage);

        api.MapPost("/users/{id:guid}/unlock", async (
            Guid id, ClaimsPrincipal principal, UserManager<WorkspaceUser> users, UnlockUser unlock, CancellationToken cancellationToken) =>
        {
            var actor = await users.GetUserAsync(principal);
            if (actor is null)
            {
                return Results.Unauthorized();
            }

            return await unlock.ExecuteAsync(id, actor, principal.IsInRole(WorkspaceRoles.Owner), cancellationToken)
                ? Results.NoContent()
                : NoSuchUser();
        }).RequireAuthorization(Permissions.UsersManage);

        api.MapGet("/invitations", async (ListInvitations list, CancellationToken cancellationToken) =>
            TypedResults.Ok(await list.ExecuteAsync(cancellationToken))).RequireAuthorization(Permissions.UsersRead);

        api.MapDelete("/invitations/{id:guid}", async (
            Guid id, ClaimsPrincipal principal, UserManager<WorkspaceUser> users, RevokeInvitation revoke, CancellationToken cancellationToken) =>
        {
            var actor = await users.GetUserAsync(principal);
            if (actor is null)
            {
                return Results.Unauthorized();
            }

            return await revoke.ExecuteAsync(id, actor, cancellationToken)
                ? Results.NoContent()
                : Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Not found",
                    detail: "This workspace has no pending invitation with that id.");
        }).RequireAuthorization(Permissions.UsersManage);
    }

    /// <summary>The same answer whether the id is unknown everywhere or belongs to another workspace: this one has no such user.</summary>
    private static IResult NoSuchUser() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This workspace has no user with that id.");
}
