using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.ApiTokens;

/// <summary>
/// Revokes a token: from the next request on it is refused, on every host (authentication reads the token each time).
/// Everyone may revoke their own tokens; <see cref="Identity.Permissions.TokensManage"/> anyone's, service tokens included.
/// A token that is another person's is "not found" to someone who may not revoke it. Revoking twice changes nothing.
/// </summary>
public sealed class RevokeApiToken(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <param name="id">The token.</param>
    /// <param name="userId">The person revoking, whose own tokens they may revoke; null when a token revokes itself.</param>
    /// <param name="mayRevokeAny">Whether any token of the workspace may be revoked (an admin, or a token revoking itself).</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    public async Task ExecuteAsync(Guid id, Guid? userId, bool mayRevokeAny, CancellationToken cancellationToken)
    {
        var token = await db.Set<ApiToken>().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null || !(mayRevokeAny || (userId is not null && token.OwnerUserId == userId)))
        {
            throw new NotFoundException("This workspace has no API token with that id that you may revoke.");
        }

        if (token.RevokedAt is not null)
        {
            return;
        }

        var actor = audit.CurrentActor();
        token.RevokedAt = time.GetUtcNow();
        token.RevokedReason = $"Revoked by {actor.Label ?? "the system"}";
        audit.AddChange(AuditEventType.TokenRevoked, ApiTokenAudit.EntityType, id.ToString(),
            [new FieldChange("revokedAt", null, token.RevokedAt.Value.ToString("O", CultureInfo.InvariantCulture))],
            subject: token.IsService ? $"service token \"{token.Name}\"" : $"token \"{token.Name}\"");
        await db.SaveChangesAsync(cancellationToken);
    }
}
