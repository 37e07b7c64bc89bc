using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>The endpoints of the workspace and their delivery log, for the settings pages and the API.</summary>
public sealed class WebhookQueries(WorkspaceDbContext db, TimeProvider time)
{
    public const int DefaultPageSize = 50;
    public const int MaximumPageSize = 200;

    public async Task<IReadOnlyList<WebhookView>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await db.Set<WebhookSubscription>().AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderBy(s => s.CreatedAt).Select(s => WebhookView.Of(s, now))];
    }

    public async Task<WebhookView> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Set<WebhookSubscription>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no webhook endpoint with that id.");
        return WebhookView.Of(row, time.GetUtcNow());
    }

    /// <summary>The endpoint's deliveries, newest first, <paramref name="limit"/> at a time, before the delivery id <paramref name="before"/>.</summary>
    public async Task<WebhookDeliveriesPage> DeliveriesAsync(Guid id, long? before, int limit, CancellationToken cancellationToken)
    {
        await GetAsync(id, cancellationToken);
        var rows = await (
                from delivery in db.Set<WebhookDelivery>().AsNoTracking()
                join webhookEvent in db.Set<WebhookEvent>() on delivery.EventId equals webhookEvent.Id
                where delivery.SubscriptionId == id && (before == null || delivery.Id < before)
                orderby delivery.Id descending
                select new { Delivery = delivery, webhookEvent.Type })
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        var items = rows.Take(limit).Select(d => View(d.Delivery, d.Type)).ToList();
        return new WebhookDeliveriesPage(items, rows.Count > limit ? items[^1].Id : null);
    }

    public async Task<WebhookDeliveryDetails> DeliveryAsync(Guid id, long deliveryId, CancellationToken cancellationToken)
    {
        var row = await (
                from delivery in db.Set<WebhookDelivery>().AsNoTracking()
                join webhookEvent in db.Set<WebhookEvent>() on delivery.EventId equals webhookEvent.Id
                where delivery.SubscriptionId == id && delivery.Id == deliveryId
                select new { Delivery = delivery, webhookEvent.Type, webhookEvent.Payload })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This endpoint has no delivery with that id.");
        var attempts = await db.Set<WebhookAttempt>().AsNoTracking()
            .Where(a => a.DeliveryId == deliveryId)
            .OrderByDescending(a => a.Id)
            .Select(a => new WebhookAttemptView(a.Id, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.ResponseExcerpt, a.Error))
            .ToListAsync(cancellationToken);
        return new WebhookDeliveryDetails(View(row.Delivery, row.Type), row.Payload, attempts);
    }

    private static WebhookDeliveryView View(WebhookDelivery d, string type) => new(
        d.Id, d.EventId, WebhookEvent.MessageId(d.EventId), type, d.Status, d.Attempts, d.CreatedAt, d.LastAttemptAt, d.LastStatusCode, d.LastError,
        d.Status == WebhookDeliveryStatus.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(d.DueAt) : null, d.CompletedAt);
}
