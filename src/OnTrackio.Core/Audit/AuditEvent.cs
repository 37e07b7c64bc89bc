using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Audit;

/// <summary>
/// One entry of the workspace's audit log, in the workspace's own database: who did what to which entity, with the
/// field-level changes, chained to the entry before it by <see cref="PreviousHash"/> so that an edited, removed or
/// reordered entry is detected (<see cref="AuditChainHead"/>, <see cref="AuditAnchor"/>).
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public AuditEventType Type { get; init; }

    /// <summary>"user", "system", or for a request made with an API token "token" (personal) or "service_token".</summary>
    public required string ActorType { get; init; }

    public Guid? ActorId { get; init; }

    /// <summary>What a reader needs to recognise the actor (an email; a token's name and owner), never a secret.</summary>
    public string? ActorLabel { get; init; }

    public string? Subject { get; init; }

    public string? IpAddress { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>What kind of entity the entry is about ("asset", "person", "model"…), or null for account events.</summary>
    public string? EntityType { get; init; }

    public string? EntityId { get; init; }

    /// <summary>Field-level changes as a JSON array of <c>{"field","before","after"}</c>, secrets masked; null when none.</summary>
    public string? Changes { get; init; }

    /// <summary>Position in the workspace's chain, 1, 2, 3… without gaps; null only for entries written before the chain began.</summary>
    public long? Sequence { get; set; }

    /// <summary>Hex SHA-256 of the previous entry (or of the anchor left by a purge); the genesis entry has 64 zeros.</summary>
    public string? PreviousHash { get; set; }

    /// <summary>Hex SHA-256 over <see cref="PreviousHash"/> and this entry's canonical content.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// The end of the chain: the last sequence and hash, in one row that appending transactions lock, so that two
/// concurrent changes cannot both claim the same place in the chain.
/// </summary>
public sealed class AuditChainHead
{
    public const string SingletonId = "head";

    public string Id { get; init; } = SingletonId;

    public long Sequence { get; set; }

    public required string Hash { get; set; }
}

/// <summary>
/// Left by a retention purge in place of the entries it removed: the sequence and hash of the last purged entry, so
/// the remaining chain still verifies from its first entry.
/// </summary>
public sealed class AuditAnchor
{
    public long Sequence { get; init; }

    public required string Hash { get; init; }

    public DateTimeOffset PurgedAt { get; init; }

    public long EntriesPurged { get; init; }
}

/// <summary>How long the workspace keeps its audit log; never under <see cref="MinimumDays"/>.</summary>
public sealed class AuditRetention
{
    public const string SingletonId = "workspace";
    public const int MinimumDays = 30;
    public const int DefaultDays = 365;

    public string Id { get; init; } = SingletonId;

    public int Days { get; set; } = DefaultDays;

    public DateTimeOffset UpdatedAt { get; set; }
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
        builder.Property(e => e.EntityType).HasColumnName("entity_type").HasMaxLength(64);
        builder.Property(e => e.EntityId).HasColumnName("entity_id").HasMaxLength(64);
        builder.Property(e => e.Changes).HasColumnName("changes");
        builder.Property(e => e.Sequence).HasColumnName("sequence");
        builder.Property(e => e.PreviousHash).HasColumnName("previous_hash").HasMaxLength(64);
        builder.Property(e => e.Hash).HasColumnName("hash").HasMaxLength(64);
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => new { e.EntityType, e.EntityId, e.Id });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("audit_chain_head");
        builder.Property(h => h.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(h => h.Sequence).HasColumnName("sequence");
        builder.Property(h => h.Hash).HasColumnName("hash").HasMaxLength(64);
    }
}

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchor>
{
    public void Configure(EntityTypeBuilder<AuditAnchor> builder)
    {
        builder.ToTable("audit_anchors");
        builder.HasKey(a => a.Sequence);
        builder.Property(a => a.Sequence).HasColumnName("sequence").ValueGeneratedNever();
        builder.Property(a => a.Hash).HasColumnName("hash").HasMaxLength(64);
        builder.Property(a => a.PurgedAt).HasColumnName("purged_at");
        builder.Property(a => a.EntriesPurged).HasColumnName("entries_purged");
    }
}

internal sealed class AuditRetentionConfiguration : IEntityTypeConfiguration<AuditRetention>
{
    public void Configure(EntityTypeBuilder<AuditRetention> builder)
    {
        builder.ToTable("audit_retention");
        builder.Property(r => r.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(r => r.Days).HasColumnName("days");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
    }
}
