using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Encryption;

namespace OnTrackio.Secrets;

/// <summary>
/// A sensitive workspace setting (an SSO client secret, an SMTP password, an integration key), stored only as a
/// protected-field envelope under the workspace's data key.
/// </summary>
public sealed class WorkspaceSecret
{
    public required string Name { get; init; }

    public required string ValueEncrypted { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class WorkspaceSecretConfiguration : IEntityTypeConfiguration<WorkspaceSecret>
{
    public void Configure(EntityTypeBuilder<WorkspaceSecret> builder)
    {
        builder.ToTable("workspace_secrets");
        builder.HasKey(s => s.Name);
        builder.Property(s => s.Name).HasColumnName("name").HasMaxLength(100);
        builder.Property(s => s.ValueEncrypted).HasColumnName("value_encrypted").HasMaxLength(8000).IsEncrypted();
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
