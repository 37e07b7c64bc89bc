using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace OnTrackio.Audit;

/// <summary>
/// Chains every audit entry a save adds, however it was added (<see cref="AuditTrail"/> or <c>db.Add</c>): locks the
/// chain head, gives each new entry the next sequence, the previous hash and its own hash, and moves the head, all in
/// the save's transaction. Refuses any save that modifies or deletes an entry: the log is append-only.
/// </summary>
/// <remarks>
/// One stateless instance serves every workspace context (it is added in <c>WorkspaceDbContext.OnConfiguring</c>),
/// so the shared internal service provider stays shared. Concurrency: PostgreSQL takes the head row
/// <c>FOR UPDATE</c>, so a second appender waits for the first to commit and then reads its head; SQLite
/// transactions from Microsoft.Data.Sqlite begin IMMEDIATE, so writers are already serialised. The head moves
/// through the change tracker, not raw SQL, so that EF's savepoint rolls it back with the entries if the save fails
/// inside a caller's transaction.
/// </remarks>
public sealed class AuditChainInterceptor : SaveChangesInterceptor
{
    public static readonly AuditChainInterceptor Instance = new();

    // Transactions this interceptor began because the caller had none: committed or rolled back when the save ends.
    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> _owned = [];

    private AuditChainInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        ChainAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await ChainAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            transaction.Commit();
            transaction.Dispose();
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is { } context && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Abandon(eventData?.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData?.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Abandon(eventData?.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Abandon(eventData?.Context);
        return Task.CompletedTask;
    }

    private void Abandon(DbContext? context)
    {
        if (context is not null && _owned.TryGetValue(context, out var transaction))
        {
            _owned.Remove(context);
            transaction.Rollback();
            transaction.Dispose();
        }
    }

    private async Task ChainAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return;
        }

        var added = new List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<AuditEvent>>();
        foreach (var entry in context.ChangeTracker.Entries<AuditEvent>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    added.Add(entry);
                    break;
                case EntityState.Modified or EntityState.Deleted:
                    throw new InvalidOperationException("Audit entries are append-only: an entry cannot be changed or deleted.");
            }
        }

        if (added.Count == 0)
        {
            return;
        }

        if (context.Database.CurrentTransaction is null)
        {
            _owned.AddOrUpdate(context, await context.Database.BeginTransactionAsync(cancellationToken));
        }

        var head = await LockHeadAsync(context, cancellationToken);
        foreach (var entry in added)
        {
            Link(head, entry);
        }
    }

    /// <summary>
    /// Gives <paramref name="entry"/> the next place in the chain and moves <paramref name="head"/> past it. Also for
    /// writers that insert entries in bulk themselves (an import, by COPY): they lock the head, link each entry here in
    /// the order they write them, and save the head in the same transaction, so the chain is the one this class makes.
    /// </summary>
    internal static void Link(AuditChainHead head, Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<AuditEvent> entry)
    {
        entry.Property(e => e.OccurredAt).CurrentValue = AuditChainHasher.Normalise(entry.Entity.OccurredAt);
        Link(head, entry.Entity);
    }

    /// <summary>The same for an entry no context tracks, whose time the writer has already normalised.</summary>
    internal static void Link(AuditChainHead head, AuditEvent entry)
    {
        if (entry.OccurredAt != AuditChainHasher.Normalise(entry.OccurredAt))
        {
            throw new InvalidOperationException("An audit entry is linked with its time normalised (AuditChainHasher.Normalise), as it is stored.");
        }

        var sequence = head.Sequence + 1;
        var hash = AuditChainHasher.Compute(head.Hash, sequence, entry);
        entry.Sequence = sequence;
        entry.PreviousHash = head.Hash;
        entry.Hash = hash;
        head.Sequence = sequence;
        head.Hash = hash;
    }

    /// <summary>Reads the head under lock (creating the genesis head on first use) and tracks it for the save to update.</summary>
    internal static async Task<AuditChainHead> LockHeadAsync(DbContext context, CancellationToken cancellationToken)
    {
        var select = context.Database.IsNpgsql() ? SelectHeadForUpdate : SelectHead;
        var head = await ReadHeadAsync(context, select, cancellationToken);
        if (head is null)
        {
            await context.Database.ExecuteSqlRawAsync(InsertGenesis, cancellationToken);
            head = await ReadHeadAsync(context, select, cancellationToken)
                ?? throw new InvalidOperationException("The audit chain head could not be created.");
        }

        // A head tracked by an earlier save of this context may be stale; the locked read is the truth.
        foreach (var stale in context.ChangeTracker.Entries<AuditChainHead>().ToList())
        {
            stale.State = EntityState.Detached;
        }

        context.Attach(head);
        return head;
    }

    private const string SelectHead = "SELECT id, sequence, hash FROM audit_chain_head WHERE id = 'head'";
    private const string SelectHeadForUpdate = SelectHead + " FOR UPDATE";
    private const string InsertGenesis = "INSERT INTO audit_chain_head (id, sequence, hash) VALUES ('head', 0, '"
        + AuditChainHasher.Genesis + "') ON CONFLICT (id) DO NOTHING";

    private static async Task<AuditChainHead?> ReadHeadAsync(DbContext context, string select, CancellationToken cancellationToken)
    {
        // Not composed (no SingleOrDefault over SQL), so the locking clause stays at the top level of the statement.
        var rows = await context.Set<AuditChainHead>()
            .FromSqlRaw(select)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }
}
