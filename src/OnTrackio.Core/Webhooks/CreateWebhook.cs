using Microsoft.Extensions.Options;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>Adds an endpoint with a new signing secret, returned in this answer only; the database keeps it sealed.</summary>
public sealed class CreateWebhook(
    WorkspaceDbContext db, WorkspaceContext workspace, FieldProtector protector, AuditTrail audit, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string EntityType = "webhook";

    public async Task<WebhookWithSecret> ExecuteAsync(WebhookInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (url, description, eventTypes) = input.Check(options.Value.AllowLoopback);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var secret = WebhookSecret.New();
        var subscription = new WebhookSubscription
        {
            Id = id,
            Url = url.AbsoluteUri,
            Description = description,
            EventTypes = eventTypes,
            SecretEncrypted = await protector.ProtectAsync(workspace.Current.Id, WebhookSecrets.Current(id), secret, cancellationToken),
            Enabled = input.Enabled ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(subscription);
        audit.AddChange(
            AuditEventType.WebhookCreated, EntityType, id.ToString(),
            AssetRecord.Diff(new Dictionary<string, string?>(), WebhookSecrets.Snapshot(subscription)), WebhookSecrets.Subject(subscription.Url));
        await db.SaveChangesAsync(cancellationToken);

        // This host's delivery job starts watching the workspace now rather than at its next look over every workspace.
        WebhookSignal.Raise(db.Location);
        return new WebhookWithSecret(WebhookView.Of(subscription, now), secret);
    }
}
