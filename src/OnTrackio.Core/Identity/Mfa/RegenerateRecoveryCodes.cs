using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>A new set of recovery codes, returned to be shown once; every earlier code stops working.</summary>
public sealed class RegenerateRecoveryCodes(WorkspaceDbContext db, UserManager<WorkspaceUser> users, AuditTrail audit)
{
    /// <returns>The new codes, or null when the user has no confirmed authenticator for them to stand in for.</returns>
    public async Task<IReadOnlyList<string>?> ExecuteAsync(WorkspaceUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await db.Set<TotpAuthenticator>().AnyAsync(a => a.UserId == user.Id && a.ConfirmedAt != null, cancellationToken))
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodes.Count))?.ToList()
            ?? throw new InvalidOperationException("Identity returned no recovery codes.");
        audit.Add(AuditEventType.RecoveryCodesGenerated, user.Id, user.Email, $"{codes.Count} codes, earlier ones revoked");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return codes;
    }
}
