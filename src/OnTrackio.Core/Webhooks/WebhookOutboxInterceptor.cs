using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OnTrackio.Audit;
using OnTrackio.Databases;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Adds the outbox rows of every save that adds audit entries of the register (see <see cref="WebhookOutbox"/>), in
/// that save, so they commit or roll back with the change; and once such a transaction commits, tells this process's
/// delivery job (<see cref="WebhookSignal"/>) so the events leave at once instead of at its next look.
/// </summary>
/// <remarks>
/// Added after <see cref="AuditChainInterceptor"/>, which has begun the save's transaction (when the caller had none)
/// and chained the entries by the time this one runs. One stateless instance serves every workspace context, like the
/// chain's; the contexts that wrote rows are remembered weakly until their transaction ends.
/// </remarks>
public sealed class WebhookOutboxInterceptor : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public static readonly WebhookOutboxInterceptor Instance = new();

    private readonly ConditionalWeakTable<DbContext, object> _written = [];

    private WebhookOutboxInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        PlanAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        await PlanAsync(eventData.Context, cancellationToken);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData?.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData?.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData?.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData?.Context);
        return Task.CompletedTask;
    }

    /// <summary>For writers that add outbox rows themselves (the import's COPY): signal when their transaction commits.</summary>
    internal void MarkWritten(DbContext context) => _written.AddOrUpdate(context, this);

    private async Task PlanAsync(DbContext? context, CancellationToken cancellationToken)
    {
        if (context is null)
        {
            return;
        }

        var added = context.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return;
        }

        // A save that failed and is tried again plans again: the rows planned for the first try go, or they would be sent twice.
        foreach (var stale in context.ChangeTracker.Entries()
            .Where(e => e.State == EntityState.Added && e.Entity is WebhookEvent or WebhookDelivery).ToList())
        {
            stale.State = EntityState.Detached;
        }

        var (events, deliveries) = await WebhookOutbox.PlanAsync(context, added, cancellationToken);
        if (events.Count == 0)
        {
            return;
        }

        context.AddRange(events);
        context.AddRange(deliveries);
        MarkWritten(context);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _written.TryGetValue(context, out _))
        {
            _written.Remove(context);
            WebhookSignal.Raise((context as WorkspaceDbContext)?.Location);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _written.Remove(context);
        }
    }
}

/// <summary>
/// "Outbox rows were committed in this workspace": a notice within this process from the outbox to the delivery job,
/// so a change made through this host is delivered at once. Other hosts find the rows at their next look.
/// </summary>
public static class WebhookSignal
{
    /// <summary>Raised after a commit that wrote outbox rows; the location is null when the context was not opened by an engine.</summary>
    public static event Action<WorkspaceLocation?>? Committed;

    public static void Raise(WorkspaceLocation? location) => Committed?.Invoke(location);
}
