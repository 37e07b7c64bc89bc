using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Webhooks;

[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<WebhookDeliveryStatus>))]
public enum WebhookDeliveryStatus
{
    Pending,
    Succeeded,
    Failed,
}

/// <summary>
/// One event on its way to one endpoint: the outbox row the delivery job claims, with where its retries stand.
/// </summary>
/// <remarks>
/// <see cref="DueAt"/> and <see cref="LeaseUntil"/> are Unix milliseconds, not timestamps: the claim compares them in
/// SQL on both engines, and SQLite keeps a <see cref="DateTimeOffset"/> as text, which does not compare as time.
/// </remarks>
public sealed class WebhookDelivery
{
    /// <summary>Numbered by the database: the endpoint's log pages newest first along it, on both engines.</summary>
    public long Id { get; init; }

    public Guid EventId { get; init; }

    public Guid SubscriptionId { get; init; }

    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Every attempt ever made, manual redeliveries included.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts since the delivery was last queued (created or redelivered): the step of the retry schedule.</summary>
    public int RetryStep { get; set; }

    /// <summary>While pending, when the next attempt is due (Unix ms); once finished, when it finished (the log's retention reads it).</summary>
    public long DueAt { get; set; }

    /// <summary>Until when a delivery job holds it (Unix ms); 0 when none does. A host that stops lets its lease run out.</summary>
    public long LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>One HTTP attempt of a delivery, for the endpoint's delivery log.</summary>
public sealed class WebhookAttempt
{
    public const int MaxExcerptLength = 1024;

    public long Id { get; init; }

    public long DeliveryId { get; init; }

    public DateTimeOffset AttemptedAt { get; init; }

    /// <summary>The answer's status code; null when there was no answer (refused address, timeout, connection error).</summary>
    public int? StatusCode { get; init; }

    public int LatencyMs { get; init; }

    /// <summary>The start of the answer's body, at most <see cref="MaxExcerptLength"/> characters.</summary>
    public string? ResponseExcerpt { get; init; }

    public string? Error { get; init; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.Id).HasColumnName("id");
        builder.Property(d => d.EventId).HasColumnName("event_id");
        builder.Property(d => d.SubscriptionId).HasColumnName("subscription_id");
        builder.Property(d => d.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Attempts).HasColumnName("attempts");
        builder.Property(d => d.RetryStep).HasColumnName("retry_step");
        builder.Property(d => d.DueAt).HasColumnName("due_at");
        builder.Property(d => d.LeaseUntil).HasColumnName("lease_until").IsConcurrencyToken(); // outcomes are written only over the lease held
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.LastAttemptAt).HasColumnName("last_attempt_at");
        builder.Property(d => d.LastStatusCode).HasColumnName("last_status_code");
        builder.Property(d => d.LastError).HasColumnName("last_error").HasMaxLength(500);
        builder.Property(d => d.CompletedAt).HasColumnName("completed_at");
        builder.HasOne<WebhookEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);

        // What the claim reads: only pending rows, by due time. Delivered rows stay out of the index.
        builder.HasIndex(d => d.DueAt).HasDatabaseName("ix_webhook_deliveries_pending_due").HasFilter("status = 'Pending'");

        // The endpoint's log, newest first.
        builder.HasIndex(d => new { d.SubscriptionId, d.Id });
        builder.HasIndex(d => d.EventId);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.Property(a => a.Id).HasColumnName("id");
        builder.Property(a => a.DeliveryId).HasColumnName("delivery_id");
        builder.Property(a => a.AttemptedAt).HasColumnName("attempted_at");
        builder.Property(a => a.StatusCode).HasColumnName("status_code");
        builder.Property(a => a.LatencyMs).HasColumnName("latency_ms");
        builder.Property(a => a.ResponseExcerpt).HasColumnName("response_excerpt").HasMaxLength(WebhookAttempt.MaxExcerptLength);
        builder.Property(a => a.Error).HasColumnName("error").HasMaxLength(500);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Id });
    }
}
