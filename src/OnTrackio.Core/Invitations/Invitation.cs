using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Invitations;

/// <summary>An invitation to join the workspace. Only the SHA-256 of its token is stored; the link is shown once.</summary>
public sealed class Invitation
{
    public Guid Id { get; init; }

    public required string Email { get; init; }

    public required string Role { get; init; }

    public required byte[] TokenHash { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? AcceptedAt { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.Property(i => i.Id).HasColumnName("id");
        builder.Property(i => i.Email).HasColumnName("email").HasMaxLength(254);
        builder.Property(i => i.Role).HasColumnName("role").HasMaxLength(32);
        builder.Property(i => i.TokenHash).HasColumnName("token_hash").HasMaxLength(32);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.Property(i => i.CreatedAt).HasColumnName("created_at");
        builder.Property(i => i.ExpiresAt).HasColumnName("expires_at");
        builder.Property(i => i.AcceptedAt).HasColumnName("accepted_at");
    }
}
