using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Identity;

namespace OnTrackio.ApiTokens;

/// <summary>
/// An API token of the workspace: its public id, the SHA-256 of its secret (never the secret), and what it may do.
/// A personal token acts for its owner and never beyond the owner's current role; a service token (no owner) belongs
/// to the workspace and is created by an admin.
/// </summary>
public sealed class ApiToken
{
    /// <summary>The public token id, written into the token itself so that the look-up needs no secret.</summary>
    public Guid Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The person the token acts for; null for a service token.</summary>
    public Guid? OwnerUserId { get; init; }

    /// <summary>Who created it: the owner for a personal token, the admin for a service token.</summary>
    public Guid? CreatedByUserId { get; init; }

    /// <summary>SHA-256 of the secret part, compared in constant time.</summary>
    public required byte[] SecretHash { get; init; }

    /// <summary>The token's last four characters (of its checksum), so that a person can tell tokens apart in a list.</summary>
    public required string LastFour { get; init; }

    /// <summary>The scopes granted, space-separated (<c>assets:read people:write</c>), as OAuth writes them.</summary>
    public required string Scopes { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public string? LastUsedIp { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedReason { get; set; }

    public bool IsService => OwnerUserId is null;
}

/// <summary>The workspace's rule for new tokens: how long one may live at most. No row means the default.</summary>
public sealed class ApiTokenPolicy
{
    public const string SingletonId = "workspace";
    public const int DefaultMaxLifetimeDays = 365;

    /// <summary>Three years: a credential that lives longer outlasts the people who remember why it exists.</summary>
    public const int LongestMaxLifetimeDays = 1095;

    public string Id { get; init; } = SingletonId;

    public int MaxLifetimeDays { get; set; } = DefaultMaxLifetimeDays;

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.Property(t => t.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(t => t.Name).HasColumnName("name").HasMaxLength(ApiTokenLimits.NameLength);

        // A removed person's tokens go with them: left ownerless they would turn into service tokens.
        builder.Property(t => t.OwnerUserId).HasColumnName("owner_user_id");
        builder.HasOne<WorkspaceUser>().WithMany().HasForeignKey(t => t.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.OwnerUserId);
        builder.Property(t => t.CreatedByUserId).HasColumnName("created_by_user_id");
        builder.Property(t => t.SecretHash).HasColumnName("secret_hash").HasMaxLength(32);
        builder.Property(t => t.LastFour).HasColumnName("last_four").HasMaxLength(4);
        builder.Property(t => t.Scopes).HasColumnName("scopes").HasMaxLength(500);
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        builder.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
        builder.Property(t => t.LastUsedIp).HasColumnName("last_used_ip").HasMaxLength(45);
        builder.Property(t => t.RevokedAt).HasColumnName("revoked_at");
        builder.Property(t => t.RevokedReason).HasColumnName("revoked_reason").HasMaxLength(200);
        builder.Ignore(t => t.IsService);
    }
}

internal sealed class ApiTokenPolicyConfiguration : IEntityTypeConfiguration<ApiTokenPolicy>
{
    public void Configure(EntityTypeBuilder<ApiTokenPolicy> builder)
    {
        builder.ToTable("api_token_policy");
        builder.Property(p => p.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(p => p.MaxLifetimeDays).HasColumnName("max_lifetime_days");
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}

/// <summary>Bounds that the forms, the API and the authentication share.</summary>
public static class ApiTokenLimits
{
    public const int NameLength = 100;

    /// <summary>A token nobody used for this long is revoked: whoever held it has moved on, and it still opens the door.</summary>
    public static readonly TimeSpan UnusedFor = TimeSpan.FromDays(365);

    /// <summary>"Last used" is written at most this often per token, so that authentication stays a read.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);
}
