using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>Removes an endpoint with its deliveries and their log; events no other endpoint waits for go with the log's retention.</summary>
public sealed class DeleteWebhook(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await WebhookSecrets.FindAsync(db, id, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // In bulk rather than through the change tracker: an endpoint can have a long log.
        var deliveries = db.Set<WebhookDelivery>().Where(d => d.SubscriptionId == id);
        await db.Set<WebhookAttempt>().Where(a => deliveries.Any(d => d.Id == a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
        await deliveries.ExecuteDeleteAsync(cancellationToken);
        db.Remove(subscription);
        audit.AddChange(
            AuditEventType.WebhookDeleted, CreateWebhook.EntityType, id.ToString(),
            AssetRecord.Diff(WebhookSecrets.Snapshot(subscription), new Dictionary<string, string?>()), WebhookSecrets.Subject(subscription.Url));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
