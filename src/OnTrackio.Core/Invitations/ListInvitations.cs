using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

/// <summary>An invitation not yet accepted. There is no link here: only the token's hash is stored.</summary>
public sealed record PendingInvitation(Guid Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool Expired);

/// <summary>The current workspace's invitations that were not accepted, newest first, expired ones marked.</summary>
public sealed class ListInvitations(WorkspaceDbContext db, TimeProvider time)
{
    public async Task<List<PendingInvitation>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Invitations.AsNoTracking()
            .Where(i => i.AcceptedAt == null)
            .Select(i => new { i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt })
            .ToListAsync(cancellationToken);

        // Sorted and compared here: SQLite cannot order or compare DateTimeOffset values.
        var now = time.GetUtcNow();
        return [.. rows
            .OrderByDescending(i => i.CreatedAt)
            .Select(i => new PendingInvitation(i.Id, i.Email, i.Role, i.CreatedAt, i.ExpiresAt, i.ExpiresAt <= now))];
    }
}
