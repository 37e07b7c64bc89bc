using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Sets who must use a second factor. Takes effect on this host at once and on others within
/// <see cref="MfaEnforcementCache.PolicyLifetime"/>; people it newly covers are sent to enrol on their next page.
/// </summary>
public sealed class ChangeMfaPolicy(WorkspaceDbContext db, AuditTrail audit, MfaEnforcementCache cache, WorkspaceContext workspace, TimeProvider time)
{
    /// <returns>False when the policy already was <paramref name="requirement"/>.</returns>
    public async Task<bool> ExecuteAsync(MfaRequirement requirement, WorkspaceUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(requirement))
        {
            throw new OperationRefusedException("Unknown MFA requirement.");
        }

        var policy = await db.Set<SecurityPolicy>().SingleOrDefaultAsync(p => p.Id == SecurityPolicy.SingletonId, cancellationToken);
        var before = policy?.MfaRequirement ?? MfaRequirement.Optional;
        if (before == requirement)
        {
            return false;
        }

        if (policy is null)
        {
            db.Add(policy = new SecurityPolicy());
        }

        policy.MfaRequirement = requirement;
        policy.UpdatedAt = time.GetUtcNow();
        audit.Add(AuditEventType.MfaPolicyChanged, actor.Id, actor.Email, $"{before} → {requirement}");
        await db.SaveChangesAsync(cancellationToken);
        cache.SetPolicy(workspace.Current.Id, requirement);
        return true;
    }
}
