using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

/// <summary>
/// Withdraws an invitation that was not accepted. The row is deleted, so its link finds nothing (as a link from
/// another workspace finds nothing); the audit entry is what remains of it.
/// </summary>
public sealed class RevokeInvitation(WorkspaceDbContext db, AuditTrail audit)
{
    /// <returns>False when the workspace has no pending invitation with this id (accepted ones are not revocable: lock the user).</returns>
    public async Task<bool> ExecuteAsync(Guid invitationId, WorkspaceUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.AcceptedAt == null, cancellationToken);
        if (invitation is null)
        {
            return false;
        }

        db.Invitations.Remove(invitation);
        audit.Add(AuditEventType.InvitationRevoked, actor.Id, actor.Email, $"{invitation.Email} as {invitation.Role}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
