using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Short-lived answers for the per-request policy check, so that a signed-in request costs no query: the workspace's
/// requirement, and whether a user has a second factor. Changes made on this host replace them at once.
/// </summary>
public sealed class MfaEnforcementCache : IDisposable
{
    /// <summary>How long another web host may keep applying a policy changed elsewhere.</summary>
    public static readonly TimeSpan PolicyLifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long another web host may keep an enrolment or removal made elsewhere unseen.</summary>
    public static readonly TimeSpan FactorLifetime = TimeSpan.FromSeconds(15);

    internal MemoryCache Cache { get; } = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public void SetPolicy(Guid workspaceId, MfaRequirement requirement) =>
        Cache.Set(new PolicyKey(workspaceId), requirement, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = PolicyLifetime });

    public void ForgetUser(Guid workspaceId, Guid userId) => Cache.Remove(new FactorKey(workspaceId, userId));

    public void Dispose() => Cache.Dispose();

    internal readonly record struct PolicyKey(Guid WorkspaceId);

    internal readonly record struct FactorKey(Guid WorkspaceId, Guid UserId);
}

/// <summary>
/// The workspace's MFA policy applied to a signed-in person. A session whose sign-in passed a second factor carries
/// Identity's <c>amr=mfa</c> claim and costs nothing more; others are checked against the cached policy, and only a
/// person the policy covers is looked up (cached too).
/// </summary>
public sealed class MfaEnforcement(WorkspaceDbContext db, WorkspaceContext workspace, MfaEnforcementCache cache)
{
    /// <summary>Identity adds this claim, with <see cref="MfaValue"/>, to sessions that passed a second factor.</summary>
    public const string AmrClaimType = "amr";

    public const string MfaValue = "mfa";

    public async Task<MfaRequirement> RequirementAsync(CancellationToken cancellationToken) =>
        await cache.Cache.GetOrCreateAsync(new MfaEnforcementCache.PolicyKey(workspace.Current.Id), async entry =>
        {
            entry.SetSize(1).SetAbsoluteExpiration(MfaEnforcementCache.PolicyLifetime);

            // No row yet means nobody chose a policy: second factors are optional.
            return await db.Set<SecurityPolicy>().AsNoTracking()
                .Where(p => p.Id == SecurityPolicy.SingletonId).Select(p => (MfaRequirement?)p.MfaRequirement)
                .SingleOrDefaultAsync(cancellationToken) ?? MfaRequirement.Optional;
        });

    /// <summary>True when the policy covers this person's roles and they have no second factor to sign in with.</summary>
    public async Task<bool> MustEnrolAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.HasClaim(AmrClaimType, MfaValue))
        {
            return false;
        }

        var policy = new SecurityPolicy { MfaRequirement = await RequirementAsync(cancellationToken) };
        if (!policy.RequiresMfa(principal.FindAll(ClaimTypes.Role).Select(c => c.Value))
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            return false;
        }

        var hasFactor = await cache.Cache.GetOrCreateAsync(new MfaEnforcementCache.FactorKey(workspace.Current.Id, userId), async entry =>
        {
            entry.SetSize(1).SetAbsoluteExpiration(MfaEnforcementCache.FactorLifetime);
            return await SecondFactors.AnyAsync(db, userId, cancellationToken);
        });
        return !hasFactor;
    }
}
