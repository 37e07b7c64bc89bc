using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Identity.Sso;

/// <summary>
/// The workspace's OpenID Connect provider, configured by an admin. One row. The client secret is not here: it is a
/// workspace secret (<see cref="Secrets.WorkspaceSecrets"/>, name <see cref="ClientSecretName"/>), encrypted with
/// the workspace's data key.
/// </summary>
public sealed class SsoConfiguration
{
    public const string SingletonId = "workspace";
    public const string ClientSecretName = "sso.client_secret";

    public string Id { get; init; } = SingletonId;

    public bool Enabled { get; set; }

    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read for endpoints and keys.</summary>
    public required string Authority { get; set; }

    public required string ClientId { get; set; }

    /// <summary>Lower-case email domains allowed to sign in through SSO, space-separated; empty allows none.</summary>
    public string AllowedEmailDomains { get; set; } = string.Empty;

    /// <summary>Create a Member account at first SSO sign-in for an allowed email that has none.</summary>
    public bool JustInTimeCreation { get; set; }

    /// <summary>Passwords stop working for everyone except the break-glass Owner.</summary>
    public bool RequireSso { get; set; }

    /// <summary>The one Owner who may still sign in with a password (and MFA) when SSO is required.</summary>
    public Guid? BreakGlassUserId { get; set; }

    /// <summary>Bumped on every change, so web hosts rebuild the handler options they cached for this workspace.</summary>
    public int Revision { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SsoConfigurationConfiguration : IEntityTypeConfiguration<SsoConfiguration>
{
    public void Configure(EntityTypeBuilder<SsoConfiguration> builder)
    {
        builder.ToTable("sso_configuration");
        builder.Property(s => s.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(s => s.Enabled).HasColumnName("enabled");
        builder.Property(s => s.Authority).HasColumnName("authority").HasMaxLength(500);
        builder.Property(s => s.ClientId).HasColumnName("client_id").HasMaxLength(200);
        builder.Property(s => s.AllowedEmailDomains).HasColumnName("allowed_email_domains").HasMaxLength(2000);
        builder.Property(s => s.JustInTimeCreation).HasColumnName("just_in_time_creation");
        builder.Property(s => s.RequireSso).HasColumnName("require_sso");
        builder.Property(s => s.BreakGlassUserId).HasColumnName("break_glass_user_id");
        builder.Property(s => s.Revision).HasColumnName("revision").IsConcurrencyToken();
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
