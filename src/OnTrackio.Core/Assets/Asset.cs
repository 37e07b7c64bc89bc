using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Assets;

/// <summary>A piece of hardware in the register.</summary>
public sealed class Asset
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>Unique in the workspace, deleted assets included, so a tag on a sticker never names two assets.</summary>
    public required string Tag { get; set; }

    public string? Serial { get; set; }

    public string? Name { get; set; }

    public Guid ModelId { get; set; }

    public Guid StatusLabelId { get; set; }

    public Guid? LocationId { get; set; }

    public Guid? SupplierId { get; set; }

    public DateOnly? PurchaseDate { get; set; }

    public decimal? Cost { get; set; }

    /// <summary>ISO 4217 code; present exactly when <see cref="Cost"/> is.</summary>
    public string? Currency { get; set; }

    public string? OrderNumber { get; set; }

    public DateOnly? WarrantyEnd { get; set; }

    public string? Notes { get; set; }

    public Guid? AssignedPersonId { get; set; }

    public Guid? AssignedLocationId { get; set; }

    public Guid? AssignedAssetId { get; set; }

    public DateTimeOffset? CheckedOutAt { get; set; }

    public DateOnly? ExpectedCheckIn { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>
    /// Bumped by every change and checked by the database at save (a concurrency token), so two people editing the
    /// same asset cannot silently overwrite each other; the API sends it as the ETag.
    /// </summary>
    public long Version { get; set; } = 1;

    public bool IsCheckedOut => AssignedPersonId is not null || AssignedLocationId is not null || AssignedAssetId is not null;
}

/// <summary>
/// One line of an asset's timeline. The audit log has the same facts with field-level detail, but it is tamper-evident
/// and purged by retention; the timeline is the register's own, kept as long as the asset, and cheap to read per asset.
/// </summary>
public sealed class AssetHistoryEntry
{
    public long Id { get; init; }

    public Guid AssetId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public required string Action { get; init; }

    /// <summary>What a reader needs: "to Ada Lovelace, back by 2026-03-01", "status: Pending → Ready to deploy".</summary>
    public string? Detail { get; init; }

    public string? ActorLabel { get; init; }
}

/// <summary>The next automatic asset tag: one row, incremented inside the creating transaction.</summary>
public sealed class AssetTagSequence
{
    public const string SingletonId = "asset";

    public string Id { get; init; } = SingletonId;

    public required string Prefix { get; set; }

    public long NextNumber { get; set; }

    /// <summary>Digits, zero-padded, so tags sort in number order as text.</summary>
    public int Digits { get; set; }
}

internal sealed class AssetConfiguration : IEntityTypeConfiguration<Asset>, IEntityTypeConfiguration<AssetHistoryEntry>, IEntityTypeConfiguration<AssetTagSequence>
{
    private const string NotDeleted = "deleted_at IS NULL";

    public void Configure(EntityTypeBuilder<Asset> builder)
    {
        builder.ToTable("assets");
        builder.Property(a => a.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(a => a.Tag).HasColumnName("tag").HasMaxLength(AssetInput.MaxTagLength);
        builder.Property(a => a.Serial).HasColumnName("serial").HasMaxLength(100);
        builder.Property(a => a.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(a => a.ModelId).HasColumnName("model_id");
        builder.Property(a => a.StatusLabelId).HasColumnName("status_label_id");
        builder.Property(a => a.LocationId).HasColumnName("location_id");
        builder.Property(a => a.SupplierId).HasColumnName("supplier_id");
        builder.Property(a => a.PurchaseDate).HasColumnName("purchase_date");
        builder.Property(a => a.Cost).HasColumnName("cost").HasPrecision(18, 4);
        builder.Property(a => a.Currency).HasColumnName("currency").HasMaxLength(3).IsFixedLength();
        builder.Property(a => a.OrderNumber).HasColumnName("order_number").HasMaxLength(100);
        builder.Property(a => a.WarrantyEnd).HasColumnName("warranty_end");
        builder.Property(a => a.Notes).HasColumnName("notes").HasMaxLength(AssetInput.MaxNotesLength);
        builder.Property(a => a.AssignedPersonId).HasColumnName("assigned_person_id");
        builder.Property(a => a.AssignedLocationId).HasColumnName("assigned_location_id");
        builder.Property(a => a.AssignedAssetId).HasColumnName("assigned_asset_id");
        builder.Property(a => a.CheckedOutAt).HasColumnName("checked_out_at");
        builder.Property(a => a.ExpectedCheckIn).HasColumnName("expected_check_in");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.UpdatedAt).HasColumnName("updated_at");
        builder.Property(a => a.DeletedAt).HasColumnName("deleted_at");
        builder.Property(a => a.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Ignore(a => a.IsCheckedOut);

        builder.HasOne<AssetModel>().WithMany().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StatusLabel>().WithMany().HasForeignKey(a => a.StatusLabelId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Location>().WithMany().HasForeignKey(a => a.LocationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Supplier>().WithMany().HasForeignKey(a => a.SupplierId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(a => a.AssignedPersonId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Location>().WithMany().HasForeignKey(a => a.AssignedLocationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Asset>().WithMany().HasForeignKey(a => a.AssignedAssetId).OnDelete(DeleteBehavior.Restrict);

        // The list is keyset-paginated by tag; each filter gets an index that ends in the tag, over live rows only
        // (partial indexes: the same WHERE clause works on PostgreSQL and SQLite), so a filtered page is a range scan.
        builder.HasIndex(a => a.Tag).IsUnique();
        builder.HasIndex(a => a.Serial);
        builder.HasIndex(a => new { a.StatusLabelId, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_status_tag");
        builder.HasIndex(a => new { a.ModelId, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_model_tag");
        builder.HasIndex(a => new { a.LocationId, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_location_tag");
        builder.HasIndex(a => new { a.AssignedPersonId, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_person_tag");

        // Sorts other than the tag: the sort key, then the tag as tie-breaker, so a cursor (key, tag) is a range scan too.
        builder.HasIndex(a => new { a.Name, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_name_tag");
        builder.HasIndex(a => new { a.WarrantyEnd, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_warranty_tag");
        builder.HasIndex(a => new { a.PurchaseDate, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_purchased_tag");
        builder.HasIndex(a => new { a.UpdatedAt, a.Tag }).HasFilter(NotDeleted).HasDatabaseName("ix_assets_live_updated_tag");
        builder.HasIndex(a => a.AssignedLocationId);
        builder.HasIndex(a => a.AssignedAssetId);
        builder.HasIndex(a => a.SupplierId);
        builder.HasIndex(a => a.DeletedAt);
    }

    public void Configure(EntityTypeBuilder<AssetHistoryEntry> builder)
    {
        builder.ToTable("asset_history");
        builder.Property(h => h.Id).HasColumnName("id");
        builder.Property(h => h.AssetId).HasColumnName("asset_id");
        builder.Property(h => h.OccurredAt).HasColumnName("occurred_at");
        builder.Property(h => h.Action).HasColumnName("action").HasMaxLength(32);
        builder.Property(h => h.Detail).HasColumnName("detail").HasMaxLength(1000);
        builder.Property(h => h.ActorLabel).HasColumnName("actor_label").HasMaxLength(254);
        builder.HasOne<Asset>().WithMany().HasForeignKey(h => h.AssetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(h => new { h.AssetId, h.Id });
    }

    public void Configure(EntityTypeBuilder<AssetTagSequence> builder)
    {
        builder.ToTable("asset_tag_sequence");
        builder.Property(s => s.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(s => s.Prefix).HasColumnName("prefix").HasMaxLength(16);
        builder.Property(s => s.NextNumber).HasColumnName("next_number");
        builder.Property(s => s.Digits).HasColumnName("digits");
        builder.HasData(new AssetTagSequence { Prefix = "A-", NextNumber = 1, Digits = 6 });
    }
}
