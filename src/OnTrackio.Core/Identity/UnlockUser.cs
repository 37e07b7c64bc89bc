using Microsoft.AspNetCore.Identity;
using OnTrackio.Audit;

namespace OnTrackio.Identity;

/// <summary>
/// Lifts a lock, whether an administrator set it or repeated failed sign-ins did. Only an Owner unlocks an Owner,
/// the mirror of <see cref="LockUser"/>. The user signs in again; sessions ended by the lock stay ended.
/// </summary>
public sealed class UnlockUser(UserManager<WorkspaceUser> users, AuditTrail audit, TimeProvider time)
{
    /// <returns>False when the workspace has no such user.</returns>
    public async Task<bool> ExecuteAsync(Guid userId, WorkspaceUser actor, bool actorIsOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return false;
        }

        if (!actorIsOwner && await users.IsInRoleAsync(user, WorkspaceRoles.Owner))
        {
            throw new OperationRefusedException("Only an Owner can unlock an Owner.");
        }

        if (user.LockoutEnd is null || user.LockoutEnd <= time.GetUtcNow())
        {
            return true;
        }

        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        audit.Add(AuditEventType.UserUnlocked, actor.Id, actor.Email, user.Email);
        (await users.UpdateAsync(user)).ThrowIfFailed();
        return true;
    }
}
