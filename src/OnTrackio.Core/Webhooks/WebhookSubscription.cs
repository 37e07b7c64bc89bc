using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Encryption;

namespace OnTrackio.Webhooks;

/// <summary>
/// An endpoint of the workspace's that receives its events: where, which events, and the secret that signs them,
/// kept only as protected-field envelopes under the workspace's data key. During a rotation the previous secret signs
/// too, until <see cref="PreviousSecretExpiresAt"/>, so a receiver can switch to the new one without losing events.
/// </summary>
public sealed class WebhookSubscription
{
    public const string Table = "webhook_subscriptions";
    public const string SecretColumn = "secret_encrypted";
    public const string PreviousSecretColumn = "previous_secret_encrypted";
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Url { get; set; }

    public string? Description { get; set; }

    /// <summary>The event types it receives, separated by spaces; null for every event type, present and future.</summary>
    public string? EventTypes { get; set; }

    public required string SecretEncrypted { get; set; }

    public string? PreviousSecretEncrypted { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public bool Enabled { get; set; }

    /// <summary>Why the platform turned it off (410 Gone, retries exhausted); null when an admin did, or while enabled.</summary>
    public string? DisabledReason { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last 2xx answer: an endpoint that answered since a delivery began is not disabled for that delivery giving up.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }

    public IReadOnlyList<string>? EventTypeList => EventTypes?.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static bool Wants(string? eventTypes, string eventType) =>
        eventTypes is null || eventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(eventType, StringComparer.Ordinal);
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable(WebhookSubscription.Table);
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.Url).HasColumnName("url").HasMaxLength(WebhookSubscription.MaxUrlLength);
        builder.Property(s => s.Description).HasColumnName("description").HasMaxLength(WebhookSubscription.MaxDescriptionLength);
        builder.Property(s => s.EventTypes).HasColumnName("event_types").HasMaxLength(4000);
        builder.Property(s => s.SecretEncrypted).HasColumnName(WebhookSubscription.SecretColumn).HasMaxLength(500).IsEncrypted();
        builder.Property(s => s.PreviousSecretEncrypted!).HasColumnName(WebhookSubscription.PreviousSecretColumn).HasMaxLength(500).IsEncrypted();
        builder.Property(s => s.PreviousSecretExpiresAt).HasColumnName("previous_secret_expires_at");
        builder.Property(s => s.Enabled).HasColumnName("enabled");
        builder.Property(s => s.DisabledReason).HasColumnName("disabled_reason").HasMaxLength(500);
        builder.Property(s => s.CreatedAt).HasColumnName("created_at");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        builder.Property(s => s.LastSuccessAt).HasColumnName("last_success_at");
        builder.Ignore(s => s.EventTypeList);
    }
}
