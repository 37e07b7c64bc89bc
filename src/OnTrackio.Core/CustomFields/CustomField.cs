using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Assets;
using OnTrackio.Register;

namespace OnTrackio.CustomFields;

/// <summary>The five types a custom field can have; each value is checked against its type and stored in one canonical text form.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CustomFieldType>))]
public enum CustomFieldType
{
    Text,
    Number,
    Date,
    List,
    Boolean,
}

/// <summary>A field the workspace adds to its assets ("RAM (GB)", "MDM enrolled"), typed and validated like the built-in ones.</summary>
public sealed class CustomField
{
    public const int MaxNameLength = 100;
    public const int MaxValueLength = 1000;
    public const int MaxOptions = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public CustomFieldType Type { get; set; }

    /// <summary>The choices of a <see cref="CustomFieldType.List"/> field, one per line, in display order; null for other types.</summary>
    public string? Options { get; set; }

    public bool Required { get; set; }

    public string? HelpText { get; set; }

    public IReadOnlyList<string> OptionList =>
        Options is null ? [] : Options.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// A named group of fields ("Laptop fields"). A model names its set; a category names the set for models that name
/// none. An asset shows, validates and stores the fields of the set that applies to it.
/// </summary>
public sealed class CustomFieldSet
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string Name { get; set; }
}

/// <summary>A field's place in a set.</summary>
public sealed class CustomFieldSetMember
{
    public Guid SetId { get; init; }

    public Guid FieldId { get; init; }

    public int Position { get; set; }
}

/// <summary>
/// One custom value of one asset, in canonical text (numbers invariant, dates yyyy-mm-dd, booleans true/false), in a
/// table of its own so a filter on a field is an index lookup on (field, value) rather than a scan of every asset.
/// </summary>
public sealed class AssetFieldValue
{
    public Guid AssetId { get; init; }

    public Guid FieldId { get; init; }

    public required string Value { get; set; }
}

internal sealed class CustomFieldConfiguration :
    IEntityTypeConfiguration<CustomField>, IEntityTypeConfiguration<CustomFieldSet>,
    IEntityTypeConfiguration<CustomFieldSetMember>, IEntityTypeConfiguration<AssetFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomField> builder)
    {
        builder.ToTable("custom_fields");
        builder.Property(f => f.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(f => f.Name).HasColumnName("name").HasMaxLength(CustomField.MaxNameLength);
        builder.Property(f => f.Type).HasColumnName("type").HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Options).HasColumnName("options").HasMaxLength(20_000);
        builder.Property(f => f.Required).HasColumnName("required");
        builder.Property(f => f.HelpText).HasColumnName("help_text").HasMaxLength(500);
        builder.Ignore(f => f.OptionList);
        builder.HasIndex(f => f.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<CustomFieldSet> builder)
    {
        builder.ToTable("custom_field_sets");
        builder.Property(s => s.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(s => s.Name).HasColumnName("name").HasMaxLength(ReferenceInput.MaxNameLength);
        builder.HasIndex(s => s.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<CustomFieldSetMember> builder)
    {
        builder.ToTable("custom_field_set_members");
        builder.HasKey(m => new { m.SetId, m.FieldId });
        builder.Property(m => m.SetId).HasColumnName("set_id");
        builder.Property(m => m.FieldId).HasColumnName("field_id");
        builder.Property(m => m.Position).HasColumnName("position");
        builder.HasOne<CustomFieldSet>().WithMany().HasForeignKey(m => m.SetId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CustomField>().WithMany().HasForeignKey(m => m.FieldId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => m.FieldId);
    }

    public void Configure(EntityTypeBuilder<AssetFieldValue> builder)
    {
        builder.ToTable("asset_field_values");
        builder.HasKey(v => new { v.AssetId, v.FieldId });
        builder.Property(v => v.AssetId).HasColumnName("asset_id");
        builder.Property(v => v.FieldId).HasColumnName("field_id");
        builder.Property(v => v.Value).HasColumnName("value").HasMaxLength(CustomField.MaxValueLength);
        builder.HasOne<Asset>().WithMany().HasForeignKey(v => v.AssetId).OnDelete(DeleteBehavior.Cascade);

        // Restrict: a field that still holds values is emptied by its delete operation first (audited), never by the database.
        builder.HasOne<CustomField>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.FieldId, v.Value, v.AssetId });
    }
}
