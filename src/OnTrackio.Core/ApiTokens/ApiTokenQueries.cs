using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.ApiTokens;

/// <summary>
/// A token as lists show it: never the secret nor its hash; <see cref="Display"/> is the prefix, the start of the id and
/// the last four characters. <see cref="Status"/> is active, expired, revoked, or unused (not used for a year: refused
/// already, and revoked by the next daily sweep).
/// </summary>
public sealed record ApiTokenView(
    Guid Id,
    string Name,
    string Kind,
    Guid? OwnerId,
    string? OwnerEmail,
    string Display,
    IReadOnlyList<string> Scopes,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastUsedAt,
    string? LastUsedIp,
    DateTimeOffset? RevokedAt,
    string? RevokedReason,
    string Status)
{
    public bool IsActive => Status == "active";
}

/// <summary>A token just created: <see cref="Token"/> is shown this once and kept nowhere.</summary>
public sealed record CreatedApiToken(string Token, ApiTokenView Details);

/// <summary>The workspace's token rule as the API shows and takes it.</summary>
public sealed record ApiTokenPolicyView(int MaxLifetimeDays);

/// <summary>Reads tokens and the workspace's token policy; newest first (ids are time-ordered, and SQLite will not order by a time).</summary>
public sealed class ApiTokenQueries(WorkspaceDbContext db, TimeProvider time)
{
    public Task<IReadOnlyList<ApiTokenView>> OwnedByAsync(Guid userId, CancellationToken cancellationToken) =>
        ListAsync(t => t.OwnerUserId == userId, cancellationToken);

    public Task<IReadOnlyList<ApiTokenView>> AllAsync(CancellationToken cancellationToken) => ListAsync(_ => true, cancellationToken);

    public async Task<ApiTokenView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(t => t.Id == id, cancellationToken)).SingleOrDefault()
            ?? throw new NotFoundException("This workspace has no API token with that id.");

    public async Task<int> MaxLifetimeDaysAsync(CancellationToken cancellationToken) =>
        await db.Set<ApiTokenPolicy>().AsNoTracking().Where(p => p.Id == ApiTokenPolicy.SingletonId)
            .Select(p => (int?)p.MaxLifetimeDays).SingleOrDefaultAsync(cancellationToken) ?? ApiTokenPolicy.DefaultMaxLifetimeDays;

    private async Task<IReadOnlyList<ApiTokenView>> ListAsync(System.Linq.Expressions.Expression<Func<ApiToken, bool>> filter, CancellationToken cancellationToken)
    {
        var rows = await (
                from t in db.Set<ApiToken>().AsNoTracking().Where(filter)
                join u in db.Users on t.OwnerUserId equals (Guid?)u.Id into owners
                from owner in owners.DefaultIfEmpty()
                orderby t.Id descending
                select new { Token = t, OwnerEmail = owner != null ? owner.Email : null })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. rows.Select(r => View(r.Token, r.OwnerEmail, now))];
    }

    internal static ApiTokenView View(ApiToken t, string? ownerEmail, DateTimeOffset now) => new(
        t.Id,
        t.Name,
        t.IsService ? "service" : "personal",
        t.OwnerUserId,
        ownerEmail,
        ApiTokenFormat.Display(t.Id, t.LastFour),
        ApiTokenScopes.Parse(t.Scopes),
        t.CreatedAt,
        t.ExpiresAt,
        t.LastUsedAt,
        t.LastUsedIp,
        t.RevokedAt,
        t.RevokedReason,
        t.RevokedAt is not null ? "revoked"
            : t.ExpiresAt <= now ? "expired"
            : now - (t.LastUsedAt ?? t.CreatedAt) >= ApiTokenLimits.UnusedFor ? "unused"
            : "active");
}
