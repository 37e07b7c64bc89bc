using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;
using OnTrackio.Audit;
using OnTrackio.Webhooks;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// The rows a batch adds (assets, their custom values, timeline lines, audit entries, people, models, webhook outbox rows), in the order
/// the file made them. They are built by the register's own code (AssetRecord, AuditTrail) but not tracked by EF, so
/// a file of 100,000 assets costs no change tracking; <see cref="ImportSave"/> writes them.
/// </summary>
internal sealed class NewRows
{
    private readonly List<object> _rows = [];

    public IReadOnlyList<object> Rows => _rows;

    public void Add(object row) => _rows.Add(row);

    public void Clear() => _rows.Clear();
}

/// <summary>
/// Saves a batch: on PostgreSQL the new rows go in with one binary COPY per table instead of one INSERT each (for a
/// file of 100,000 assets, the difference between minutes and seconds), then <c>SaveChanges</c> writes what the batch
/// changed in existing rows (concurrency tokens and unique indexes apply as for any save). SQLite adds the new rows to
/// the context and saves everything through EF.
/// </summary>
/// <remarks>
/// Audit entries are linked into the chain by the chain's own code (<see cref="AuditChainInterceptor.Link(AuditChainHead, AuditEvent)"/>)
/// under the head's lock, in file order, and the head is written before anything else is saved, so an entry the
/// interceptor chains later in the same transaction follows them. Their webhook outbox rows are planned from them by
/// the code the outbox interceptor uses for a save through EF (<see cref="WebhookOutbox"/>), and copied with them.
/// </remarks>
internal static class ImportSave
{
    public static async Task SaveAsync(WorkspaceDbContext db, NewRows rows, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            foreach (var row in rows.Rows)
            {
                db.Add(row);
            }

            rows.Clear();
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var audit = rows.Rows.OfType<AuditEvent>().ToList();
        if (audit.Count > 0)
        {
            var head = await AuditChainInterceptor.LockHeadAsync(db, cancellationToken);
            foreach (var entry in audit)
            {
                AuditChainInterceptor.Link(head, entry);
            }

            var (sequence, hash) = (head.Sequence, head.Hash);
            await db.Set<AuditChainHead>().Where(h => h.Id == head.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.Sequence, sequence).SetProperty(h => h.Hash, hash), cancellationToken);
            db.Entry(head).State = EntityState.Detached;

            // The webhook outbox rows these entries call for, by the interceptor's own rules, copied with the rest.
            var (events, deliveries) = await WebhookOutbox.PlanAsync(db, audit, cancellationToken);
            foreach (var row in events.Cast<object>().Concat(deliveries))
            {
                rows.Add(row);
            }

            if (events.Count > 0)
            {
                WebhookOutboxInterceptor.Instance.MarkWritten(db);
            }
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var byType = InDependencyOrder(rows.Rows.GroupBy(row => db.Model.FindEntityType(row.GetType())
            ?? throw new InvalidOperationException($"{row.GetType().Name} is not part of the workspace model.")).ToList());
        rows.Clear();

        // In the background: the import checks its next batch meanwhile, and its next command waits for this (PendingCopy).
        await PendingCopy.StartAsync(db, async () =>
        {
            foreach (var (type, group) in byType)
            {
                await CopyAsync(connection, type, group, cancellationToken);
            }
        });

        // A commit turns EF's automatic change detection off while it batches; the rows an update changed are found
        // here, and saved after the COPY (their new custom values and timeline lines are in it).
        db.ChangeTracker.DetectChanges();
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>Tables whose rows others point at go first (assets before their custom values and timeline lines).</summary>
    private static List<(IEntityType Key, List<object> Rows)> InDependencyOrder(List<IGrouping<IEntityType, object>> groups)
    {
        var ordered = new List<(IEntityType, List<object>)>();
        var remaining = groups.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(g => !g.Key.GetForeignKeys().Any(fk =>
                fk.PrincipalEntityType != g.Key && remaining.Any(other => other.Key == fk.PrincipalEntityType)))
                ?? remaining[0];
            ordered.Add((next.Key, next.ToList()));
            remaining.Remove(next);
        }

        return ordered;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IEntityType type, IEnumerable<object> rows, CancellationToken cancellationToken)
    {
        var columns = Columns(type);
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(type.GetTableName()!)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        // Written synchronously: a value is a few bytes in Npgsql's buffer, and an await per value costs more than the
        // occasional flush that blocks this background job's thread.
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            copy.StartRow();
            foreach (var (_, getter, converter) in columns)
            {
                var value = getter.GetClrValueUsingContainingEntity(row);
                Write(copy, value is null || converter is null ? value : converter.ConvertToProvider(value));
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>Every mapped column, from the model (so a column added to an entity is copied too), but the ids the database numbers itself.</summary>
    private static List<(string Name, IClrPropertyGetter Getter, ValueConverter? Converter)> Columns(IEntityType type)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        return [.. type.GetProperties()
            .Where(p => !(p.IsKey() && p.ValueGenerated != ValueGenerated.Never))
            .Select(p => (p.GetColumnName(table)!, p.GetGetter(), p.GetTypeMapping().Converter))];
    }

    /// <summary>By the value's own type: the binary form of text is one for text, varchar and char columns.</summary>
    private static void Write(NpgsqlBinaryImporter copy, object? value)
    {
        switch (value)
        {
            case null:
                copy.WriteNull();
                break;
            case string text:
                copy.Write(text, NpgsqlDbType.Text);
                break;
            case Guid id:
                copy.Write(id, NpgsqlDbType.Uuid);
                break;
            case DateTimeOffset at:
                copy.Write(at, NpgsqlDbType.TimestampTz);
                break;
            case DateOnly date:
                copy.Write(date, NpgsqlDbType.Date);
                break;
            case decimal amount:
                copy.Write(amount, NpgsqlDbType.Numeric);
                break;
            case long number:
                copy.Write(number, NpgsqlDbType.Bigint);
                break;
            case int number:
                copy.Write(number, NpgsqlDbType.Integer);
                break;
            case bool flag:
                copy.Write(flag, NpgsqlDbType.Boolean);
                break;
            default:
                throw new NotSupportedException($"An import cannot COPY a value of type {value.GetType().Name}; add it here.");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
