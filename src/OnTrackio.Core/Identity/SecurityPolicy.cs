using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Identity;

/// <summary>Who must use a second factor.</summary>
public enum MfaRequirement
{
    Optional = 0,
    Admins = 1,
    Everyone = 2,
}

/// <summary>The workspace's sign-in policy: one row, edited by Owners and Admins on the security policy page.</summary>
public sealed class SecurityPolicy
{
    /// <summary>The single row's key.</summary>
    public const string SingletonId = "workspace";

    public string Id { get; init; } = SingletonId;

    public MfaRequirement MfaRequirement { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Owners and Admins (who can change the policy and the users) count as admins for <see cref="MfaRequirement.Admins"/>.</summary>
    public bool RequiresMfa(IEnumerable<string> roles) => MfaRequirement switch
    {
        MfaRequirement.Everyone => true,
        MfaRequirement.Admins => roles.Any(r => r is WorkspaceRoles.Owner or WorkspaceRoles.Admin),
        _ => false,
    };
}

internal sealed class SecurityPolicyConfiguration : IEntityTypeConfiguration<SecurityPolicy>
{
    public void Configure(EntityTypeBuilder<SecurityPolicy> builder)
    {
        builder.ToTable("security_policy");
        builder.Property(p => p.Id).HasColumnName("id").HasMaxLength(16);
        builder.Property(p => p.MfaRequirement).HasColumnName("mfa_requirement").HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}
