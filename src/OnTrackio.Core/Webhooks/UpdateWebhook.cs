using Microsoft.Extensions.Options;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Changes an endpoint's URL, description, event types or enabled flag; the secret changes only by rotation. Turning
/// an endpoint back on clears why the platform had turned it off; deliveries that gave up meanwhile stay failed until
/// someone redelivers them.
/// </summary>
public sealed class UpdateWebhook(WorkspaceDbContext db, AuditTrail audit, IOptions<WebhookOptions> options, TimeProvider time)
{
    public async Task<WebhookView> ExecuteAsync(Guid id, WebhookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var subscription = await WebhookSecrets.FindAsync(db, id, cancellationToken);
        var (url, description, eventTypes) = input.Check(options.Value.AllowLoopback);
        var before = WebhookSecrets.Snapshot(subscription);
        subscription.Url = url.AbsoluteUri;
        subscription.Description = description;
        subscription.EventTypes = eventTypes;
        if (input.Enabled is { } enabled)
        {
            subscription.Enabled = enabled;
            subscription.DisabledReason = enabled ? null : subscription.DisabledReason;
        }

        var now = time.GetUtcNow();
        var changes = AssetRecord.Diff(before, WebhookSecrets.Snapshot(subscription));
        if (changes.Count > 0)
        {
            subscription.UpdatedAt = now;
            audit.AddChange(AuditEventType.WebhookUpdated, CreateWebhook.EntityType, id.ToString(), changes, WebhookSecrets.Subject(subscription.Url));
            await db.SaveChangesAsync(cancellationToken);
            WebhookSignal.Raise(db.Location);
        }

        return WebhookView.Of(subscription, now);
    }
}
