using Microsoft.AspNetCore.Identity;
using OnTrackio.Audit;

namespace OnTrackio.Identity;

/// <summary>
/// Locks an account until someone unlocks it: sign-in is refused, every session ends at once, and links already sent
/// (password reset, email change) stop working because the security stamp changes. Nobody locks themselves (the last
/// Owner would lock the workspace out), and only an Owner locks an Owner, as only an Owner grants that role.
/// </summary>
public sealed class LockUser(UserManager<WorkspaceUser> users, WorkspaceSessions sessions, AuditTrail audit)
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

        if (user.Id == actor.Id)
        {
            throw new OperationRefusedException("You cannot lock your own account.");
        }

        if (!actorIsOwner && await users.IsInRoleAsync(user, WorkspaceRoles.Owner))
        {
            throw new OperationRefusedException("Only an Owner can lock an Owner.");
        }

        // Identity's own lockout, so that sign-in, password reset and every other path already honour it.
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        var ended = await sessions.RevokeLaterAsync(user.Id, except: null, cancellationToken);
        audit.Add(AuditEventType.UserLocked, actor.Id, actor.Email, user.Email);

        // One SaveChanges: the lock, the ended sessions and the audit entry commit together or not at all.
        (await users.UpdateSecurityStampAsync(user)).ThrowIfFailed();
        sessions.Forget(ended);
        return true;
    }
}
