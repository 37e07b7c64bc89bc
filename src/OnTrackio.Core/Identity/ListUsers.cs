using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity.Mfa;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity;

/// <summary>A user as administrators see them: never a hash, a stamp or a secret.</summary>
public sealed record UserSummary(Guid Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool LockedOut, bool MfaEnrolled);

/// <summary>The current workspace's users, read from its own database (a user of another workspace is simply not there).</summary>
public sealed class ListUsers(WorkspaceDbContext db, TimeProvider time)
{
    public Task<List<UserSummary>> ExecuteAsync(CancellationToken cancellationToken) => QueryAsync(null, cancellationToken);

    public async Task<UserSummary?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        (await QueryAsync(userId, cancellationToken)).SingleOrDefault();

    private async Task<List<UserSummary>> QueryAsync(Guid? only, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => only == null || u.Id == only)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.LockoutEnd, u.TwoFactorEnabled })
            .ToListAsync(cancellationToken);
        var roles = await (
                from link in db.UserRoles
                join role in db.Roles on link.RoleId equals role.Id
                where only == null || link.UserId == only
                select new { link.UserId, role.Name })
            .ToListAsync(cancellationToken);

        // Only the user ids: the authenticator's secret is neither read nor decrypted to answer "enrolled?".
        var enrolled = (await db.Set<TotpAuthenticator>()
                .Where(a => a.ConfirmedAt != null && (only == null || a.UserId == only))
                .Select(a => a.UserId)
                .ToListAsync(cancellationToken))
            .ToHashSet();

        // Lockout is compared here rather than in SQL: SQLite cannot compare DateTimeOffset values.
        var now = time.GetUtcNow();
        return [.. users
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new UserSummary(
                u.Id,
                u.Email!,
                u.DisplayName,
                [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal)],
                u.LockoutEnd > now,
                u.TwoFactorEnabled || enrolled.Contains(u.Id)))];
    }
}
