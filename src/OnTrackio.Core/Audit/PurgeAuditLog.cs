using Microsoft.EntityFrameworkCore;
using OnTrackio.Databases;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Audit;

/// <summary>What one workspace's purge did: entries removed and the anchor left (null when nothing had expired).</summary>
public sealed record AuditPurgeOutcome(string Slug, long EntriesPurged, long? AnchorSequence, string? Skipped = null);

/// <summary>
/// Removes expired audit entries: the longest prefix of the chain older than the workspace's retention, in one
/// transaction with an <see cref="AuditAnchor"/> holding the last removed entry's sequence and hash, so the rest of the
/// chain still verifies from its first entry. Entries written before the chain began go with that prefix.
/// </summary>
/// <remarks>
/// Only a prefix is removed, never a middle entry, because the chain cannot skip one: an entry newer than the cutoff
/// keeps every older one after it (clock skew between hosts makes that a matter of seconds). Safe with several hosts:
/// PostgreSQL runs one purge per workspace at a time (a transaction advisory lock, the others skip); SQLite serialises
/// writers, and a second purge finds nothing left to remove.
/// </remarks>
public sealed class PurgeAuditLog(IDatabaseEngine engine, TimeProvider time)
{
    private const long AdvisoryLockKey = 0x0A0D17_0001;
    private const int BatchSize = 10_000;

    public async Task<IReadOnlyList<AuditPurgeOutcome>> ExecuteAsync(string? slug, CancellationToken cancellationToken)
    {
        var outcomes = new List<AuditPurgeOutcome>();
        foreach (var (workspaceSlug, location) in await AuditedWorkspaces.FindAsync(engine, slug, cancellationToken))
        {
            await using var db = engine.CreateWorkspaceContext(location);
            var outcome = await PurgeAsync(db, time, cancellationToken);
            outcomes.Add(outcome with { Slug = workspaceSlug });
        }

        return outcomes;
    }

    public static async Task<AuditPurgeOutcome> PurgeAsync(WorkspaceDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql()
            && !await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            return new AuditPurgeOutcome(string.Empty, 0, null, "another host is purging this workspace");
        }

        var days = await db.Set<AuditRetention>().AsNoTracking().Where(r => r.Id == AuditRetention.SingletonId)
            .Select(r => (int?)r.Days).SingleOrDefaultAsync(cancellationToken) ?? AuditRetention.DefaultDays;
        var now = time.GetUtcNow();
        var cutoff = now.AddDays(-Math.Max(days, AuditRetention.MinimumDays));

        var anchor = await db.Set<AuditAnchor>().AsNoTracking().OrderByDescending(a => a.Sequence).Select(a => (long?)a.Sequence).FirstOrDefaultAsync(cancellationToken);
        var (last, lastId, lastHash) = await ExpiredPrefixAsync(db, anchor ?? 0, cutoff, cancellationToken);
        if (last is null)
        {
            return new AuditPurgeOutcome(string.Empty, 0, null);
        }

        var purged = await db.Set<AuditEvent>()
            .Where(e => e.Sequence <= last || (e.Sequence == null && e.Id < lastId))
            .ExecuteDeleteAsync(cancellationToken);
        db.Add(new AuditAnchor { Sequence = last.Value, Hash = lastHash!, PurgedAt = now, EntriesPurged = purged });
        db.Add(new AuditEvent
        {
            OccurredAt = now,
            Type = AuditEventType.AuditLogPurged,
            ActorType = "system",
            Subject = $"{purged} entries older than {days} days, up to sequence {last}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AuditPurgeOutcome(string.Empty, purged, last);
    }

    /// <summary>The last entry of the chain's expired prefix, walked in sequence order so the cut never skips an entry.</summary>
    private static async Task<(long? Sequence, long Id, string? Hash)> ExpiredPrefixAsync(
        WorkspaceDbContext db, long after, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        (long? Sequence, long Id, string? Hash) last = (null, 0, null);
        while (true)
        {
            var from = after;
            var batch = await db.Set<AuditEvent>().AsNoTracking()
                .Where(e => e.Sequence > from)
                .OrderBy(e => e.Sequence)
                .Select(e => new { e.Id, Sequence = e.Sequence!.Value, e.OccurredAt, e.Hash })
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                if (entry.OccurredAt >= cutoff)
                {
                    return last;
                }

                last = (entry.Sequence, entry.Id, entry.Hash);
            }

            if (batch.Count < BatchSize)
            {
                return last;
            }

            after = batch[^1].Sequence;
        }
    }
}
