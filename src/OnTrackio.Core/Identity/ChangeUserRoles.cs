using Microsoft.AspNetCore.Identity;
using OnTrackio.Audit;

namespace OnTrackio.Identity;

public sealed record ChangeUserRolesRequest(IReadOnlyList<string>? Roles);

/// <summary>
/// Sets a user's roles. Only an Owner grants or removes Owner, and the last Owner cannot lose it. The user's sessions
/// end, so the change applies at once rather than at the next security-stamp check.
/// </summary>
public sealed class ChangeUserRoles(UserManager<WorkspaceUser> users, WorkspaceSessions sessions, AuditTrail audit)
{
    public async Task<IReadOnlyList<string>> ExecuteAsync(
        Guid userId, ChangeUserRolesRequest request, WorkspaceUser actor, bool actorIsOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var wanted = (request.Roles ?? []).Distinct(StringComparer.Ordinal).ToList();
        var unknown = wanted.Where(r => !WorkspaceRoles.Exists(r)).ToList();
        if (wanted.Count == 0 || unknown.Count > 0)
        {
            throw new OperationRefusedException(
                $"Give one or more of these roles: {string.Join(", ", WorkspaceRoles.All.Select(r => r.Name))}." +
                (unknown.Count > 0 ? $" Unknown: {string.Join(", ", unknown)}." : string.Empty));
        }

        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new OperationRefusedException("No such user in this workspace.");
        var current = await users.GetRolesAsync(user);
        var ownerChanges = current.Contains(WorkspaceRoles.Owner) != wanted.Contains(WorkspaceRoles.Owner);
        if (ownerChanges && !actorIsOwner)
        {
            throw new OperationRefusedException("Only an Owner can grant or remove the Owner role.");
        }

        if (current.Contains(WorkspaceRoles.Owner) && !wanted.Contains(WorkspaceRoles.Owner)
            && (await users.GetUsersInRoleAsync(WorkspaceRoles.Owner)).Count == 1)
        {
            throw new OperationRefusedException("A workspace keeps at least one Owner; make someone else Owner first.");
        }

        (await users.RemoveFromRolesAsync(user, current.Except(wanted))).ThrowIfFailed();
        (await users.AddToRolesAsync(user, wanted.Except(current))).ThrowIfFailed();
        (await users.UpdateSecurityStampAsync(user)).ThrowIfFailed();
        await sessions.RevokeAsync(user.Id, except: null, cancellationToken);
        await audit.RecordAsync(
            AuditEventType.RolesChanged, actor.Id, actor.Email, $"{user.Email}: {string.Join(", ", current)} → {string.Join(", ", wanted)}", cancellationToken);
        return wanted;
    }
}
