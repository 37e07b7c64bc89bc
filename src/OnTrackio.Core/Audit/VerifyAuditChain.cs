using Microsoft.EntityFrameworkCore;
using OnTrackio.Databases;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Audit;

/// <summary>Where the chain first breaks: the entry's sequence and id (null when the break is a missing tail) and why.</summary>
public sealed record AuditChainBreak(long Sequence, long? Id, string Reason);

/// <summary>
/// The outcome of walking a workspace's chain: how many entries were checked from where, how many predate the chain
/// (reported, not failed), and the first break if any.
/// </summary>
public sealed record AuditChainVerification(long Checked, long FirstSequence, long? AnchorSequence, long Unchained, AuditChainBreak? Break)
{
    public bool Valid => Break is null;
}

/// <summary>
/// Recomputes a workspace's audit chain in sequence order, from the latest purge anchor (or genesis), and compares it
/// with the stored hashes, the links between entries and the chain head.
/// </summary>
/// <remarks>
/// Streams in keyset batches without tracking, so memory stays flat whatever the log's size. It reads the stored
/// values exactly as the hasher saw them (occurred_at already truncated to microseconds when appended).
/// </remarks>
public sealed class VerifyAuditChain(IDatabaseEngine engine)
{
    private const int BatchSize = 20_000;

    public async Task<AuditChainVerification> ExecuteAsync(string slug, CancellationToken cancellationToken)
    {
        var (_, location) = (await AuditedWorkspaces.FindAsync(engine, slug, cancellationToken))[0];
        await using var db = engine.CreateWorkspaceContext(location);
        return await VerifyAsync(db, cancellationToken);
    }

    public static async Task<AuditChainVerification> VerifyAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var anchor = await db.Set<AuditAnchor>().AsNoTracking().OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(cancellationToken);
        var unchained = await db.Set<AuditEvent>().LongCountAsync(e => e.Sequence == null, cancellationToken);
        var head = await db.Set<AuditChainHead>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);

        var previous = anchor?.Sequence ?? 0;
        var running = anchor?.Hash ?? AuditChainHasher.Genesis;
        var previousId = long.MinValue;
        var first = previous + 1;
        long count = 0;
        while (true)
        {
            var after = previous;
            var batch = await db.Set<AuditEvent>().AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                var sequence = entry.Sequence!.Value;
                var expected = previous + 1;
                var broken = sequence != expected
                    ? $"gap: {(sequence - expected == 1 ? $"entry {expected} is" : $"entries {expected}–{sequence - 1} are")} missing before it"
                    : entry.Id <= previousId
                        ? $"reordered: its id is lower than the id of entry {previous} before it"
                        : entry.PreviousHash != running
                            ? $"broken link: its previous hash does not match entry {previous}'s hash (reordered or replaced)"
                            : AuditChainHasher.Compute(running, sequence, entry) != entry.Hash
                                ? "hash mismatch: its content was altered after it was written"
                                : null;
                if (broken is not null)
                {
                    return new AuditChainVerification(count, first, anchor?.Sequence, unchained, new AuditChainBreak(sequence, entry.Id, broken));
                }

                previous = sequence;
                previousId = entry.Id;
                running = entry.Hash!;
                count++;
            }

            if (batch.Count < BatchSize)
            {
                break;
            }
        }

        // The head records where the chain ends, so removing the newest entries is caught too.
        var tail = head is null
            ? (count > 0 ? new AuditChainBreak(previous, null, "the chain head is missing") : null)
            : head.Sequence > previous
                ? new AuditChainBreak(previous + 1, null, $"gap: entries {previous + 1}–{head.Sequence} at the end of the chain are missing")
                : head.Sequence != previous || head.Hash != running
                    ? new AuditChainBreak(previous, null, "the chain head does not match the last entry")
                    : null;
        return new AuditChainVerification(count, first, anchor?.Sequence, unchained, tail);
    }
}
