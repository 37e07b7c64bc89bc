using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OnTrackio.Encryption;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// A user's authenticator-app enrolment: the RFC 6238 shared secret, kept only as a protected-field envelope, and the
/// last time step accepted, so that a code observed in use can never be accepted again.
/// </summary>
public sealed class TotpAuthenticator
{
    public const string Table = "totp_authenticators";
    public const string SecretColumn = "secret_encrypted";

    public Guid UserId { get; init; }

    /// <summary>The base32 secret as a protected-field envelope bound to this row (<see cref="FieldProtector"/>).</summary>
    public required string SecretEncrypted { get; set; }

    /// <summary>The RFC 6238 step of the last code accepted; any code for this step or an earlier one is refused.</summary>
    public long? LastAcceptedStep { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while enrolment waits for the first code; from then on the authenticator signs in.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
}

internal sealed class TotpAuthenticatorConfiguration : IEntityTypeConfiguration<TotpAuthenticator>
{
    public void Configure(EntityTypeBuilder<TotpAuthenticator> builder)
    {
        builder.ToTable(TotpAuthenticator.Table);
        builder.HasKey(a => a.UserId);
        builder.Property(a => a.UserId).HasColumnName("user_id").ValueGeneratedNever();
        builder.Property(a => a.SecretEncrypted).HasColumnName(TotpAuthenticator.SecretColumn).HasMaxLength(500).IsEncrypted();
        builder.Property(a => a.LastAcceptedStep).HasColumnName("last_accepted_step");
        builder.Property(a => a.CreatedAt).HasColumnName("created_at");
        builder.Property(a => a.ConfirmedAt).HasColumnName("confirmed_at");
        builder.HasOne<WorkspaceUser>().WithOne().HasForeignKey<TotpAuthenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
