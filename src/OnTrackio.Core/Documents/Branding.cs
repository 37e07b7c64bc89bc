using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Documents;

/// <summary>The workspace's look: one row, changed by Admins on the branding page.</summary>
public sealed class BrandingSettings
{
    public const string SingletonId = "workspace";

    public string Id { get; init; } = SingletonId;

    /// <summary>A document of purpose <see cref="DocumentPurpose.Branding"/>; its current version is the logo.</summary>
    public Guid? LogoDocumentId { get; set; }

    /// <summary><c>#rrggbb</c>, lower case, checked by <see cref="AccentColour"/> before it is stored.</summary>
    public string? AccentColour { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class BrandingSettingsConfiguration : IEntityTypeConfiguration<BrandingSettings>
{
    public void Configure(EntityTypeBuilder<BrandingSettings> builder)
    {
        builder.ToTable("branding_settings");
        builder.Property(b => b.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(b => b.LogoDocumentId).HasColumnName("logo_document_id");
        builder.Property(b => b.AccentColour).HasColumnName("accent_colour").HasMaxLength(7);
        builder.Property(b => b.UpdatedAt).HasColumnName("updated_at");
    }
}
