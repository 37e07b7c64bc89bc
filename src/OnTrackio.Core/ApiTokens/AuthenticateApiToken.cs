using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using OnTrackio.Identity;
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
        var rows = db.Database.IsNpgsql() ? await ReadPreparedAsync(id, cancellationToken) : await ReadAsync(id, cancellationToken);
        var row = rows.Count > 0 ? rows[0] : null;

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
        var roles = row.OwnerUserId is null
            ? null
            : rows.Select(r => WorkspaceRoles.All.FirstOrDefault(role => role.Id == r.RoleId).Name).OfType<string>().ToList();
        var permissions = ApiTokenScopes.Effective(row.Scopes, roles);
        return new ApiTokenCheck(ApiTokenPrincipal.Create(actor, permissions), null);
    }

    /// <summary>The token, its owner and the owner's roles: one row per role (one for a service token).</summary>
    private sealed record TokenRow(
        byte[] SecretHash, string Name, Guid? OwnerUserId, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
        DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, bool OwnerFound, string? OwnerEmail, DateTimeOffset? OwnerLockoutEnd, Guid? RoleId);

    /// <summary>
    /// Plain joins on keys, no ordering. Roles are told apart by their fixed ids (<see cref="WorkspaceRoles"/>), which
    /// spares a join to the roles table.
    /// </summary>
    private Task<List<TokenRow>> ReadAsync(Guid id, CancellationToken cancellationToken) => (
            from t in db.Set<ApiToken>().AsNoTracking()
            where t.Id == id
            join u in db.Users on t.OwnerUserId equals (Guid?)u.Id into owners
            from owner in owners.DefaultIfEmpty()
            join l in db.UserRoles on t.OwnerUserId equals (Guid?)l.UserId into links
            from link in links.DefaultIfEmpty()
            select new TokenRow(
                t.SecretHash, t.Name, t.OwnerUserId, t.Scopes, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt,
                owner != null, owner != null ? owner.Email : null, owner != null ? owner.LockoutEnd : null, link != null ? (Guid?)link.RoleId : null))
        .ToListAsync(cancellationToken);

    /// <summary>
    /// The same query on PostgreSQL as a prepared statement, which each pooled connection keeps: this runs on every
    /// request made with a token, and parsing and planning it each time was a good part of what a token cost over a
    /// session (<c>scripts/bench --tokens</c>). The tests run it on PostgreSQL and <see cref="ReadAsync"/> on SQLite.
    /// </summary>
    private async Task<List<TokenRow>> ReadPreparedAsync(Guid id, CancellationToken cancellationToken)
    {
        const string Sql = """
            SELECT t.secret_hash, t.name, t.owner_user_id, t.scopes, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
                   u.id IS NOT NULL, u.email, u.lockout_end, r.role_id
            FROM api_tokens t
            LEFT JOIN users u ON u.id = t.owner_user_id
            LEFT JOIN user_roles r ON r.user_id = t.owner_user_id
            WHERE t.id = $1
            """;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(Sql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<TokenRow>(1);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new TokenRow(
                    reader.GetFieldValue<byte[]>(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    reader.GetBoolean(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9),
                    reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                    reader.IsDBNull(11) ? null : reader.GetGuid(11)));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
