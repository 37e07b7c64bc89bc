using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

public sealed record InvitationView(string Email, string Role, DateTimeOffset ExpiresAt, bool Accepted);

/// <summary>Looks an invitation up by its token in the current workspace's database (and only there).</summary>
public static class FindInvitation
{
    public static async Task<InvitationView?> ExecuteAsync(WorkspaceDbContext db, string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return null;
        }

        var hash = InvitationToken.Hash(token);
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is null || invitation.ExpiresAt <= now
            ? null
            : new InvitationView(invitation.Email, invitation.Role, invitation.ExpiresAt, invitation.AcceptedAt is not null);
    }
}
