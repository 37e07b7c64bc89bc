using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.ApiTokens;

/// <summary>The outcome of presenting a token: the principal it acts as, or why it was refused.</summary>
public sealed record ApiTokenCheck(ClaimsPrincipal? Principal, string? Failure);

/// <summary>
/// Checks a well-formed token against the current workspace's database, on every request: one query reads the token,
/// its owner and the owner's roles as they are now, so a revocation, a demotion or a lock counts from the next request
/// on, on every host. Another workspace's token is simply not in this database.
/// </summary>
public sealed class AuthenticateApiToken(WorkspaceDbContext db, WorkspaceContext workspace, ApiTokenUses uses, TimeProvider time)
{
    public const string NotValid = "This token is not valid in this workspace.";

    /// <summary>Compared when the id is unknown, so that an unknown id costs what a wrong secret does.</summary>
    private static readonly byte[] NoSuchToken = new byte[32];

    /// <summary>Failed sign-ins lock an account for minutes; only a lock longer than that is an admin's, which stops the owner's tokens.</summary>
    private static readonly TimeSpan SignInLockout = TimeSpan.FromDays(1);

    public async Task<ApiTokenCheck> ExecuteAsync(Guid id, string secret, string? ipAddress, CancellationToken cancellationToken)
    {
        var row = await (
                from t in db.Set<ApiToken>().AsNoTracking()
                where t.Id == id
                join u in db.Users on t.OwnerUserId equals (Guid?)u.Id into owners
                from owner in owners.DefaultIfEmpty()
                select new
                {
                    t.SecretHash,
                    t.Name,
                    t.OwnerUserId,
                    t.Scopes,
                    t.CreatedAt,
                    t.ExpiresAt,
                    t.RevokedAt,
                    t.LastUsedAt,
                    OwnerFound = owner != null,
                    OwnerEmail = owner != null ? owner.Email : null,
                    OwnerLockoutEnd = owner != null ? owner.LockoutEnd : null,
                    Roles = db.UserRoles.Where(link => link.UserId == t.OwnerUserId)
                        .Join(db.Roles, link => link.RoleId, role => role.Id, (_, role) => role.Name!).ToList(),
                })
            .SingleOrDefaultAsync(cancellationToken);

        if (!ApiTokenFormat.Matches(secret, row?.SecretHash ?? NoSuchToken) || row is null)
        {
            return new ApiTokenCheck(null, NotValid);
        }

        var now = time.GetUtcNow();
        var refusal = row switch
        {
            { RevokedAt: not null } => "This token was revoked.",
            _ when row.ExpiresAt <= now => $"This token expired on {row.ExpiresAt:yyyy-MM-dd HH:mm} UTC.",
            _ when now - (row.LastUsedAt ?? row.CreatedAt) >= ApiTokenLimits.UnusedFor => "This token was not used for a year, so it is revoked.",
            { OwnerUserId: not null, OwnerFound: false } => NotValid,
            _ when row.OwnerLockoutEnd > now + SignInLockout => "The owner of this token is locked out of the workspace.",
            _ => null,
        };
        if (refusal is not null)
        {
            return new ApiTokenCheck(null, refusal);
        }

        if ((row.LastUsedAt is null || now - row.LastUsedAt >= ApiTokenLimits.LastUsedResolution) && uses.TryClaim(workspace.Current.Id, id, now))
        {
            await db.Set<ApiToken>().Where(t => t.Id == id).ExecuteUpdateAsync(
                set => set.SetProperty(t => t.LastUsedAt, now).SetProperty(t => t.LastUsedIp, ipAddress),
                cancellationToken);
        }

        var actor = new ApiTokenActor(id, ApiTokenPrincipal.Label(row.Name, row.OwnerEmail), row.OwnerUserId);
        var permissions = ApiTokenScopes.Effective(row.Scopes, row.OwnerUserId is null ? null : row.Roles);
        return new ApiTokenCheck(ApiTokenPrincipal.Create(actor, permissions), null);
    }
}

/// <summary>
/// Which tokens this host wrote "last used" for lately, so that a busy token costs one write a minute per host rather
/// than one per request racing the others. The database's own value is checked first; this only spares the
/// concurrent requests that read the same old value.
/// </summary>
public sealed class ApiTokenUses : IDisposable
{
    private readonly MemoryCache _written = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public bool TryClaim(Guid workspaceId, Guid tokenId, DateTimeOffset now)
    {
        var key = (workspaceId, tokenId);
        if (_written.TryGetValue(key, out DateTimeOffset at) && now - at < ApiTokenLimits.LastUsedResolution)
        {
            return false;
        }

        _written.Set(key, now, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return true;
    }

    public void Dispose() => _written.Dispose();
}
