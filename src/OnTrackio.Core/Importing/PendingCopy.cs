using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OnTrackio.Importing;

/// <summary>
/// A binary COPY an import runs in the background on its context's connection, so that PostgreSQL inserts one batch
/// (index and foreign-key work, most of a commit's time) while the import checks the next (the host's work) — on two
/// cores the two overlap instead of taking turns. A connection runs one thing at a time, so every EF command of that
/// context waits for the COPY first, and so does every savepoint, commit and rollback of its transaction (EF sets a
/// savepoint before each save); whatever the import's code asks of the database, it cannot interleave with the COPY
/// or run ahead of it. Registered on every workspace context; a context with nothing in flight pays one table lookup.
/// </summary>
/// <remarks>
/// A rollback waits too but ignores what the COPY failed with: the rollback is already the answer to a failure.
/// </remarks>
internal sealed class PendingCopy : DbCommandInterceptor, IDbTransactionInterceptor
{
    public static readonly PendingCopy Instance = new();
    private static readonly ConditionalWeakTable<DbContext, Task> InFlight = [];

    private PendingCopy()
    {
    }

    /// <summary>Records the context's COPY in flight (after waiting for any earlier one).</summary>
    public static async Task StartAsync(DbContext db, Func<Task> copy)
    {
        await DrainAsync(db);
        InFlight.AddOrUpdate(db, Task.Run(copy));
    }

    /// <summary>Waits for the context's COPY in flight, if any, and rethrows what it failed with.</summary>
    public static Task DrainAsync(DbContext? db) =>
        db is not null && InFlight.TryGetValue(db, out var copy) && InFlight.Remove(db) ? copy : Task.CompletedTask;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    // The import is asynchronous throughout; a synchronous command on a context with a COPY in flight would block a
    // thread, so it waits the same way rather than failing on a busy connection.
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public async ValueTask<InterceptionResult> CreatingSavepointAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult> ReleasingSavepointAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await DrainAsync(eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult> RollingBackToSavepointAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await DrainQuietlyAsync(eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult> TransactionRollingBackAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await DrainQuietlyAsync(eventData.Context);
        return result;
    }

    public InterceptionResult CreatingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public InterceptionResult ReleasingSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        DrainAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public InterceptionResult RollingBackToSavepoint(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        DrainQuietlyAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    public InterceptionResult TransactionRollingBack(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        DrainQuietlyAsync(eventData.Context).GetAwaiter().GetResult();
        return result;
    }

    /// <summary>Waits for the context's COPY in flight, if any, and leaves what it failed with to the failure already being handled.</summary>
    public static async Task DrainQuietlyAsync(DbContext? db)
    {
        var copy = DrainAsync(db);
        await Task.WhenAny(copy);
        _ = copy.Exception;
    }
}
