using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// Saves what a batch of rows changed. On PostgreSQL the rows a batch adds (assets, their custom values, timeline
/// lines, audit entries, people, models) are written with one binary COPY per table instead of one INSERT each: for a
/// file of 100,000 assets that is the difference between minutes and seconds, on the database and in EF alike.
/// Changes to existing rows still go through <c>SaveChanges</c> (concurrency tokens, unique indexes). SQLite saves
/// everything through EF.
/// </summary>
/// <remarks>
/// The entities are built exactly as the register's operations build them (AssetRecord, AuditTrail); only how they
/// are written differs. Audit entries are linked into the chain by the chain's own code (<see cref="AuditChainInterceptor.Link"/>)
/// under the head's lock, in the order they were added, and the head is saved in the same transaction.
/// </remarks>
internal static class ImportSave
{
    public static async Task SaveAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        // A commit turns automatic change detection off (a scan of every tracked entity at each Add and save);
        // what remains to detect is the rows an update changed, once per batch.
        if (!db.Database.IsNpgsql())
        {
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList();
        var audit = db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).ToList();
        if (audit.Count > 0)
        {
            var head = await AuditChainInterceptor.LockHeadAsync(db, cancellationToken);
            foreach (var entry in audit)
            {
                AuditChainInterceptor.Link(head, entry);
            }
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var group in InDependencyOrder(added.GroupBy(e => e.Metadata).ToList()))
        {
            await CopyAsync(connection, group.Key, group.ToList(), cancellationToken);
            foreach (var entry in group)
            {
                entry.State = EntityState.Detached;
            }
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Tables whose rows others point at go first (assets before their custom values and timeline lines).</summary>
    private static List<IGrouping<IEntityType, EntityEntry>> InDependencyOrder(List<IGrouping<IEntityType, EntityEntry>> groups)
    {
        var ordered = new List<IGrouping<IEntityType, EntityEntry>>();
        var remaining = groups.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(g => !g.Key.GetForeignKeys().Any(fk =>
                fk.PrincipalEntityType != g.Key && remaining.Any(other => other.Key == fk.PrincipalEntityType)))
                ?? remaining[0];
            ordered.Add(next);
            remaining.Remove(next);
        }

        return ordered;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IEntityType type, List<EntityEntry> entries, CancellationToken cancellationToken)
    {
        // Every mapped column but those the database numbers itself (identity ids).
        var properties = type.GetProperties().Where(p => p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never || !p.IsKey()).ToList();
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var columns = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {Quote(type.GetTableName()!)} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var entry in entries)
        {
            await copy.StartRowAsync(cancellationToken);
            foreach (var property in properties)
            {
                var value = entry.Property(property.Name).CurrentValue;
                if (property.GetTypeMapping().Converter is { } converter && value is not null)
                {
                    value = converter.ConvertToProvider(value);
                }

                await WriteAsync(copy, value, cancellationToken);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <summary>By the value's own type: the binary form of text is one for text, varchar and char columns.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter copy, object? value, CancellationToken cancellationToken) => value switch
    {
        null => copy.WriteNullAsync(cancellationToken),
        string text => copy.WriteAsync(text, NpgsqlDbType.Text, cancellationToken),
        Guid id => copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken),
        DateTimeOffset at => copy.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken),
        DateOnly date => copy.WriteAsync(date, NpgsqlDbType.Date, cancellationToken),
        decimal amount => copy.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken),
        long number => copy.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken),
        int number => copy.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken),
        bool flag => copy.WriteAsync(flag, NpgsqlDbType.Boolean, cancellationToken),
        _ => throw new NotSupportedException($"An import cannot COPY a value of type {value.GetType().Name}; add it here."),
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
