using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Removes an endpoint; the database's cascade removes its deliveries and their attempts with it, however long its
/// log. Events no other endpoint waits for go at the log's next trim.
/// </summary>
public sealed class DeleteWebhook(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await WebhookSecrets.FindAsync(db, id, cancellationToken);
        db.Remove(subscription);
        audit.AddChange(
            AuditEventType.WebhookDeleted, CreateWebhook.EntityType, id.ToString(),
            AssetRecord.Diff(WebhookSecrets.Snapshot(subscription), new Dictionary<string, string?>()), WebhookSecrets.Subject(subscription.Url));
        await db.SaveChangesAsync(cancellationToken);
    }
}
