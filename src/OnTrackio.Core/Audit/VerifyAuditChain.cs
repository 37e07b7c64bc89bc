using System.Data.Common;
using System.Threading.Channels;
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
/// Fast enough for millions of entries on a small machine: one forward-only query streams the rows (the database
/// produces the next rows while this process hashes), a bounded channel keeps memory flat, and each batch's hashes
/// are computed in parallel — an entry's hash depends only on its own stored previous hash, so only the cheap link
/// checks (sequence, id, previous hash = the hash before it) must run in order. Rows are read as stored, without
/// materialising entities, so the bytes hashed are the bytes the interceptor hashed.
/// </remarks>
public sealed class VerifyAuditChain(IDatabaseEngine engine)
{
    private const int BatchSize = 8_192;

    private const string SelectChain = """
        SELECT id, sequence, occurred_at, type, actor_type, actor_id, actor_label, subject, ip_address, user_agent,
               entity_type, entity_id, changes, previous_hash, hash
        FROM audit_events WHERE sequence > @after ORDER BY sequence
        """;

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

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<StoredEntry[]>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var reading = ReadAsync(db, previous, batches.Writer, stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(stop.Token))
            {
                var intact = new bool[batch.Length];
                Parallel.For(0, batch.Length, i => intact[i] = batch[i].ComputeHash() == batch[i].Hash);
                for (var i = 0; i < batch.Length; i++)
                {
                    var entry = batch[i];
                    var expected = previous + 1;
                    var broken = entry.Sequence != expected
                        ? $"gap: {(entry.Sequence - expected == 1 ? $"entry {expected} is" : $"entries {expected}–{entry.Sequence - 1} are")} missing before it"
                        : entry.Id <= previousId
                            ? $"reordered: its id is lower than the id of entry {previous} before it"
                            : entry.PreviousHash != running
                                ? $"broken link: its previous hash does not match entry {previous}'s hash (reordered or replaced)"
                                : !intact[i]
                                    ? "hash mismatch: its content was altered after it was written"
                                    : null;
                    if (broken is not null)
                    {
                        return new AuditChainVerification(count, first, anchor?.Sequence, unchained, new AuditChainBreak(entry.Sequence, entry.Id, broken));
                    }

                    previous = entry.Sequence;
                    previousId = entry.Id;
                    running = entry.Hash!;
                    count++;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The reader stops early when a break is found; that is not a failure.
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

    private static async Task ReadAsync(WorkspaceDbContext db, long after, ChannelWriter<StoredEntry[]> writer, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = SelectChain;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "after";
            parameter.Value = after;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            var batch = new List<StoredEntry>(BatchSize);
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Add(StoredEntry.Read(reader));
                if (batch.Count == BatchSize)
                {
                    await writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync([.. batch], cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>One stored row, columns as text exactly as the canonical form takes them.</summary>
    private sealed class StoredEntry
    {
        private readonly string?[] _fields = new string?[10];

        public long Id { get; private init; }

        public long Sequence { get; private init; }

        public long OccurredAtTicks { get; private init; }

        public string? PreviousHash { get; private set; }

        public string? Hash { get; private set; }

        public static StoredEntry Read(DbDataReader reader)
        {
            // SequentialAccess: columns are read in order, once each.
            var entry = new StoredEntry
            {
                Id = reader.GetInt64(0),
                Sequence = reader.GetInt64(1),
                OccurredAtTicks = reader.GetFieldValue<DateTimeOffset>(2).UtcTicks,
            };
            entry._fields[0] = reader.GetString(3);
            entry._fields[1] = reader.GetString(4);
            entry._fields[2] = reader.IsDBNull(5) ? null : reader.GetFieldValue<Guid>(5).ToString("D");
            for (var column = 6; column <= 12; column++)
            {
                entry._fields[column - 3] = reader.IsDBNull(column) ? null : reader.GetString(column);
            }

            entry.PreviousHash = reader.IsDBNull(13) ? null : reader.GetString(13);
            entry.Hash = reader.IsDBNull(14) ? null : reader.GetString(14);
            return entry;
        }

        public string? ComputeHash() => PreviousHash is null ? null : AuditChainHasher.Compute(PreviousHash, Sequence, OccurredAtTicks, _fields);
    }
}
