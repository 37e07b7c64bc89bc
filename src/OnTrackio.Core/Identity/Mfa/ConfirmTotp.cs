using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Finishes enrolment with a first code from the app: the authenticator is confirmed (that code's step spent), sign-in
/// asks for a code from now on, and the user gets recovery codes, returned here to be shown once.
/// </summary>
public sealed class ConfirmTotp(
    WorkspaceDbContext db,
    UserManager<WorkspaceUser> users,
    VerifyTotpCode verify,
    AuditTrail audit,
    MfaEnforcementCache cache,
    WorkspaceContext workspace,
    TimeProvider time)
{
    /// <returns>The new recovery codes, or null when the code does not match the pending secret.</returns>
    public async Task<IReadOnlyList<string>?> ExecuteAsync(WorkspaceUser user, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var pending = await db.Set<TotpAuthenticator>().SingleOrDefaultAsync(a => a.UserId == user.Id && a.ConfirmedAt == null, cancellationToken);
        var step = pending is null ? null : await verify.MatchAsync(pending, code, cancellationToken);
        if (pending is null || step is null)
        {
            return null;
        }

        // Confirmation, the two-factor flag and the codes commit together: never a confirmed app without codes.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        pending.ConfirmedAt = time.GetUtcNow();
        pending.LastAcceptedStep = step;
        (await users.SetTwoFactorEnabledAsync(user, true)).ThrowIfFailed();
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodes.Count))?.ToList()
            ?? throw new InvalidOperationException("Identity returned no recovery codes.");
        audit.Add(AuditEventType.TotpEnrolled, user.Id, user.Email);
        audit.Add(AuditEventType.RecoveryCodesGenerated, user.Id, user.Email, $"{codes.Count} codes");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.ForgetUser(workspace.Current.Id, user.Id);
        return codes;
    }
}
