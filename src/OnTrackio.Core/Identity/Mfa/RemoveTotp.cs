using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Removes the authenticator app and its recovery codes; sign-in asks for the password alone again. Refused while the
/// workspace's policy requires a second factor of this person and no passkey would remain.
/// </summary>
public sealed class RemoveTotp(
    WorkspaceDbContext db,
    UserManager<WorkspaceUser> users,
    SecondFactors factors,
    MfaEnforcement enforcement,
    AuditTrail audit,
    MfaEnforcementCache cache,
    WorkspaceContext workspace)
{
    /// <returns>False when there was no authenticator to remove.</returns>
    public async Task<bool> ExecuteAsync(WorkspaceUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var authenticator = await db.Set<TotpAuthenticator>().SingleOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (authenticator is null)
        {
            return false;
        }

        var policy = new SecurityPolicy { MfaRequirement = await enforcement.RequirementAsync(cancellationToken) };
        if (authenticator.ConfirmedAt is not null
            && policy.RequiresMfa(await users.GetRolesAsync(user))
            && (await factors.OfAsync(user, cancellationToken)).Passkeys == 0)
        {
            throw new OperationRefusedException(
                "This workspace requires a second factor for your role, and the authenticator app is your only one. Add a passkey first.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Remove(authenticator);
        (await users.RemoveAuthenticationTokenAsync(user, "[AspNetUserStore]", "RecoveryCodes")).ThrowIfFailed();
        (await users.SetTwoFactorEnabledAsync(user, false)).ThrowIfFailed();
        audit.Add(AuditEventType.TotpRemoved, user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        cache.ForgetUser(workspace.Current.Id, user.Id);
        return true;
    }
}
