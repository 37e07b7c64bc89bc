using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Audit;

/// <summary>
/// One entry of the workspace's audit log, in the workspace's own database. The asset register extends this (field
/// changes, the tamper-evident chain, retention); identity events are written through <see cref="AuditTrail"/> today.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public AuditEventType Type { get; init; }

    /// <summary>"user", "system" (later "token").</summary>
    public required string ActorType { get; init; }

    public Guid? ActorId { get; init; }

    /// <summary>What a reader needs to recognise the actor (an email), never a secret.</summary>
    public string? ActorLabel { get; init; }

    public string? Subject { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.OccurredAt).HasColumnName("occurred_at");
        builder.Property(e => e.Type).HasColumnName("type").HasConversion<string>().HasMaxLength(64);
        builder.Property(e => e.ActorType).HasColumnName("actor_type").HasMaxLength(16);
        builder.Property(e => e.ActorId).HasColumnName("actor_id");
        builder.Property(e => e.ActorLabel).HasColumnName("actor_label").HasMaxLength(254);
        builder.Property(e => e.Subject).HasColumnName("subject").HasMaxLength(500);
        builder.Property(e => e.IpAddress).HasColumnName("ip_address").HasMaxLength(45);
        builder.Property(e => e.UserAgent).HasColumnName("user_agent").HasMaxLength(500);
        builder.HasIndex(e => e.OccurredAt);
    }
}
