using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Webhooks;

/// <summary>
/// One event of the outbox, written in the transaction of the change it reports (so it exists exactly when the change
/// does), with the body every endpoint receives. Its id is the <c>webhook-id</c>, the same at every retry.
/// </summary>
public sealed class WebhookEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary><c>asset.created</c>, <c>person.updated</c>… (see <see cref="WebhookEventTypes"/>).</summary>
    public required string Type { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The JSON body, exactly as it is signed and sent.</summary>
    public required string Payload { get; init; }

    /// <summary>The <c>webhook-id</c> header: a stable message id, the receiver's key for spotting a retry it already has.</summary>
    public static string MessageId(Guid eventId) => "msg_" + eventId.ToString("N");
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.Property(e => e.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(e => e.Type).HasColumnName("type").HasMaxLength(64);
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Payload).HasColumnName("payload");
    }
}
