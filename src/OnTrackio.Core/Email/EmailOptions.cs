using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Email;

public enum SmtpSecurity
{
    /// <summary>STARTTLS required: the connection fails rather than send in clear.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>No TLS. Only for a relay on loopback.</summary>
    None,
}

/// <summary>Bound from <c>OnTrackio:Email</c>. With no SMTP host, messages go to the pickup folder (the embedded default).</summary>
public sealed class EmailOptions
{
    public const string Section = "OnTrackio:Email";

    [Required]
    public string From { get; set; } = "OnTrackio <no-reply@ontrackio.localhost>";

    public string? SmtpHost { get; set; }

    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;

    public string? SmtpUsername { get; set; }

    /// <summary>From a secret store or the environment; never logged.</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>Where messages are written when no SMTP host is set. Unset: <c>mail/</c> in the embedded data folder.</summary>
    public string? PickupDirectory { get; set; }
}
