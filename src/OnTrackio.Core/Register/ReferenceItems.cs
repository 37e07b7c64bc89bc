using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.CustomFields;

namespace OnTrackio.Register;

/// <summary>
/// The shape every kind of reference data shares: an id and a name. Each kind has its own table (the base type is not
/// mapped), so a category id can never be confused with a location id by a foreign key.
/// </summary>
public abstract class ReferenceItem
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }
}

public sealed class Category : ReferenceItem
{
    /// <summary>The custom fields of assets whose model names no set of its own.</summary>
    public Guid? FieldSetId { get; set; }
}

public sealed class Manufacturer : ReferenceItem;

public sealed class Supplier : ReferenceItem;

public sealed class Department : ReferenceItem;

/// <summary>A model of hardware: what many assets are one of.</summary>
public sealed class AssetModel : ReferenceItem
{
    public Guid CategoryId { get; set; }

    public Guid? ManufacturerId { get; set; }

    public string? ModelNumber { get; set; }

    /// <summary>How long an asset of this model is expected to serve from its purchase date.</summary>
    public int? EndOfLifeMonths { get; set; }

    /// <summary>The custom fields of this model's assets; when null, the category's set applies.</summary>
    public Guid? FieldSetId { get; set; }
}

/// <summary>A place, possibly inside another (a room in a building in a city).</summary>
public sealed class Location : ReferenceItem
{
    public Guid? ParentId { get; set; }
}

/// <summary>
/// The four kinds of status. "Deployed" is deliberately not one of them: it is a deployable asset that is checked
/// out, so it can never disagree with the assignment.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StatusKind>))]
public enum StatusKind
{
    Deployable,
    Pending,
    Archived,
    Undeployable,
}

public sealed class StatusLabel : ReferenceItem
{
    public StatusKind Kind { get; set; }
}

/// <summary>Defaults every new workspace starts with (seeded by the migration, so the template already has them).</summary>
public static class ReferenceDefaults
{
    public static readonly Guid ReadyToDeploy = new("0193b000-0000-7000-8000-000000000101");
    public static readonly Guid Pending = new("0193b000-0000-7000-8000-000000000102");
    public static readonly Guid Archived = new("0193b000-0000-7000-8000-000000000103");
    public static readonly Guid Broken = new("0193b000-0000-7000-8000-000000000104");
    public static readonly Guid InRepair = new("0193b000-0000-7000-8000-000000000105");
    public static readonly Guid Laptops = new("0193b000-0000-7000-8000-000000000201");

    internal static StatusLabel[] StatusLabels =>
    [
        new() { Id = ReadyToDeploy, Name = "Ready to deploy", Kind = StatusKind.Deployable },
        new() { Id = Pending, Name = "Pending", Kind = StatusKind.Pending },
        new() { Id = Archived, Name = "Archived", Kind = StatusKind.Archived },
        new() { Id = Broken, Name = "Broken", Kind = StatusKind.Undeployable },
        new() { Id = InRepair, Name = "In repair", Kind = StatusKind.Undeployable },
    ];

    internal static Category[] Categories =>
    [
        new() { Id = Laptops, Name = "Laptops" },
        new() { Id = new("0193b000-0000-7000-8000-000000000202"), Name = "Desktops" },
        new() { Id = new("0193b000-0000-7000-8000-000000000203"), Name = "Monitors" },
        new() { Id = new("0193b000-0000-7000-8000-000000000204"), Name = "Phones" },
        new() { Id = new("0193b000-0000-7000-8000-000000000205"), Name = "Tablets" },
        new() { Id = new("0193b000-0000-7000-8000-000000000206"), Name = "Peripherals" },
    ];
}

internal sealed class ReferenceItemConfiguration :
    IEntityTypeConfiguration<Category>, IEntityTypeConfiguration<Manufacturer>, IEntityTypeConfiguration<Supplier>,
    IEntityTypeConfiguration<Department>, IEntityTypeConfiguration<AssetModel>, IEntityTypeConfiguration<Location>,
    IEntityTypeConfiguration<StatusLabel>
{
    public void Configure(EntityTypeBuilder<Category> builder)
    {
        Common(builder, "categories", uniqueName: true);
        builder.Property(c => c.FieldSetId).HasColumnName("field_set_id");
        builder.HasOne<CustomFieldSet>().WithMany().HasForeignKey(c => c.FieldSetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasData(ReferenceDefaults.Categories);
    }

    public void Configure(EntityTypeBuilder<Manufacturer> builder) => Common(builder, "manufacturers", uniqueName: true);

    public void Configure(EntityTypeBuilder<Supplier> builder) => Common(builder, "suppliers", uniqueName: true);

    public void Configure(EntityTypeBuilder<Department> builder) => Common(builder, "departments", uniqueName: true);

    public void Configure(EntityTypeBuilder<AssetModel> builder)
    {
        Common(builder, "asset_models", uniqueName: true);
        builder.Property(m => m.CategoryId).HasColumnName("category_id");
        builder.Property(m => m.ManufacturerId).HasColumnName("manufacturer_id");
        builder.Property(m => m.ModelNumber).HasColumnName("model_number").HasMaxLength(100);
        builder.Property(m => m.EndOfLifeMonths).HasColumnName("end_of_life_months");
        builder.Property(m => m.FieldSetId).HasColumnName("field_set_id");
        builder.HasOne<CustomFieldSet>().WithMany().HasForeignKey(m => m.FieldSetId).OnDelete(DeleteBehavior.Restrict);

        // Restrict: reference data in use is never deleted from under the rows that use it (the operation says why first).
        builder.HasOne<Category>().WithMany().HasForeignKey(m => m.CategoryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Manufacturer>().WithMany().HasForeignKey(m => m.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.CategoryId);
        builder.HasIndex(m => m.ManufacturerId);
    }

    public void Configure(EntityTypeBuilder<Location> builder)
    {
        // Names repeat across a tree ("Floor 1" in two buildings), so they are unique only among siblings.
        Common(builder, "locations", uniqueName: false);
        builder.Property(l => l.ParentId).HasColumnName("parent_id");
        builder.HasOne<Location>().WithMany().HasForeignKey(l => l.ParentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => new { l.ParentId, l.Name });
    }

    public void Configure(EntityTypeBuilder<StatusLabel> builder)
    {
        Common(builder, "status_labels", uniqueName: true);
        builder.Property(s => s.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        builder.HasData(ReferenceDefaults.StatusLabels);
    }

    private static void Common<T>(EntityTypeBuilder<T> builder, string table, bool uniqueName)
        where T : ReferenceItem
    {
        builder.ToTable(table);
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(ReferenceInput.MaxNameLength);
        var name = builder.HasIndex(r => r.Name);
        if (uniqueName)
        {
            name.IsUnique();
        }
    }
}
