using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Sends a delivery again, now, with the same <c>webhook-id</c> and body (re-signed with the current secrets), and
/// retries it on the schedule from the start if it fails. For an endpoint that was down, once it is back.
/// </summary>
public sealed class RedeliverWebhook(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task ExecuteAsync(Guid subscriptionId, long deliveryId, CancellationToken cancellationToken)
    {
        var subscription = await WebhookSecrets.FindAsync(db, subscriptionId, cancellationToken);
        var delivery = await db.Set<WebhookDelivery>().SingleOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == subscriptionId, cancellationToken)
            ?? throw new NotFoundException("This endpoint has no delivery with that id.");
        if (!subscription.Enabled)
        {
            throw new ConflictException("The endpoint is disabled: enable it before redelivering to it.");
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (delivery.Status == WebhookDeliveryStatus.Pending && delivery.LeaseUntil > now)
        {
            throw new ConflictException("The delivery is being attempted right now; see its log in a moment.");
        }

        var eventType = await db.Set<WebhookEvent>().Where(e => e.Id == delivery.EventId).Select(e => e.Type).SingleAsync(cancellationToken);
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.RetryStep = 0;
        delivery.DueAt = now;
        delivery.LeaseUntil = 0;
        delivery.CompletedAt = null;
        audit.AddChange(
            AuditEventType.WebhookRedelivered, CreateWebhook.EntityType, subscriptionId.ToString(), changes: null,
            subject: WebhookSecrets.Subject($"{eventType} {WebhookEvent.MessageId(delivery.EventId)} to {subscription.Url}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A delivery job claimed it between our read and this save (its lease is the concurrency token).
            throw new ConflictException("The delivery is being attempted right now; see its log in a moment.");
        }

        WebhookSignal.Raise(db.Location);
    }
}
