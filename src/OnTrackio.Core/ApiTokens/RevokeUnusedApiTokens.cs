using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Databases;

namespace OnTrackio.ApiTokens;

/// <summary>What one workspace's sweep did, or why it could not.</summary>
public sealed record UnusedTokensOutcome(string Slug, int Revoked, Exception? Failure = null);

/// <summary>
/// Revokes, in every active workspace, the tokens nobody used for a year (counted from creation when never used),
/// each with its <see cref="AuditEventType.TokenRevoked"/> entry by the system. Authentication already refuses such a
/// token; this makes it revoked for the record, the lists and the audit log.
/// </summary>
/// <remarks>
/// Safe with several hosts sweeping at once: each token is revoked by a conditional update, and only the update that
/// changed the row writes the audit entry, in the same transaction. Workspaces not yet at this build's schema are left
/// for the next run, after <c>ontrackio migrate</c>.
/// </remarks>
public sealed class RevokeUnusedApiTokens(IDatabaseEngine engine, IHttpContextAccessor http, TimeProvider time)
{
    private static readonly AuditActor System = new(null, null);

    public async Task<IReadOnlyList<UnusedTokensOutcome>> ExecuteAsync(CancellationToken cancellationToken)
    {
        List<(string Slug, WorkspaceLocation Location)> workspaces;
        await using (var catalog = engine.CreateCatalogContext())
        {
            var current = engine.CurrentWorkspaceSchemaVersion;
            var active = await catalog.Workspaces.AsNoTracking()
                .Where(w => w.Status == Catalog.WorkspaceStatus.Active && w.SchemaVersion == current)
                .OrderBy(w => w.Slug)
                .ToListAsync(cancellationToken);
            var servers = await catalog.DatabaseServers.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
            workspaces = [.. active.Select(w => (w.Slug, WorkspaceLocation.Of(w, servers[w.ServerId])))];
        }

        var outcomes = new List<UnusedTokensOutcome>();
        foreach (var (slug, location) in workspaces)
        {
            try
            {
                outcomes.Add(new UnusedTokensOutcome(slug, await SweepAsync(location, cancellationToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One unreachable workspace must not keep the others' stale tokens alive.
                outcomes.Add(new UnusedTokensOutcome(slug, 0, ex));
            }
        }

        return outcomes;
    }

    private async Task<int> SweepAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        await using var db = engine.CreateWorkspaceContext(location);
        var now = time.GetUtcNow();

        // Tokens are few per workspace, and SQLite cannot compare times in SQL: the choice is made here.
        var live = await db.Set<ApiToken>().AsNoTracking()
            .Where(t => t.RevokedAt == null)
            .Select(t => new { t.Id, t.Name, t.OwnerUserId, t.CreatedAt, t.LastUsedAt, t.ExpiresAt })
            .ToListAsync(cancellationToken);
        var audit = new AuditTrail(db, http, time);
        var revoked = 0;
        foreach (var token in live.Where(t => t.ExpiresAt > now && now - (t.LastUsedAt ?? t.CreatedAt) >= ApiTokenLimits.UnusedFor))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await db.Set<ApiToken>()
                .Where(t => t.Id == token.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(t => t.RevokedAt, now).SetProperty(t => t.RevokedReason, "Not used for a year"),
                    cancellationToken);
            if (changed == 0)
            {
                continue;
            }

            audit.AddChange(
                AuditEventType.TokenRevoked, ApiTokenAudit.EntityType, token.Id.ToString(),
                [
                    new FieldChange("revokedAt", null, now.ToString("O", CultureInfo.InvariantCulture)),
                    new FieldChange("reason", null, "not used for a year"),
                ],
                subject: token.OwnerUserId is null ? $"service token \"{token.Name}\"" : $"token \"{token.Name}\"",
                actor: System);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            revoked++;
        }

        return revoked;
    }
}
