using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Gives an endpoint a new secret, returned in this answer only. The old one keeps signing beside it for the grace
/// period (two signatures in <c>webhook-signature</c>), so the receiver can take the new one without refusing events.
/// A second rotation within the grace period drops the oldest secret.
/// </summary>
public sealed class RotateWebhookSecret(
    WorkspaceDbContext db, WorkspaceContext workspace, FieldProtector protector, AuditTrail audit, IOptions<WebhookOptions> options, TimeProvider time)
{
    public async Task<WebhookWithSecret> ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var subscription = await WebhookSecrets.FindAsync(db, id, cancellationToken);
        var workspaceId = workspace.Current.Id;
        var now = time.GetUtcNow();
        var grace = options.Value.SecretGracePeriod;
        var current = await protector.UnprotectAsync(workspaceId, WebhookSecrets.Current(id), subscription.SecretEncrypted, cancellationToken);
        var secret = WebhookSecret.New();
        subscription.SecretEncrypted = await protector.ProtectAsync(workspaceId, WebhookSecrets.Current(id), secret, cancellationToken);
        subscription.PreviousSecretEncrypted = grace > TimeSpan.Zero
            ? await protector.ProtectAsync(workspaceId, WebhookSecrets.Previous(id), current, cancellationToken)
            : null;
        subscription.PreviousSecretExpiresAt = grace > TimeSpan.Zero ? now + grace : null;
        subscription.UpdatedAt = now;
        audit.AddChange(
            AuditEventType.WebhookSecretRotated, CreateWebhook.EntityType, id.ToString(),
            [new("secret", FieldChange.Masked, FieldChange.Masked)],
            WebhookSecrets.Subject($"{subscription.Url}; the previous secret signs until {now + grace:yyyy-MM-dd HH:mm} UTC"));
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookWithSecret(WebhookView.Of(subscription, now), secret);
    }
}
