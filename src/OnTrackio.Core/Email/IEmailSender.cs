namespace OnTrackio.Email;

public sealed record EmailMessage(string To, string Subject, string TextBody)
{
    /// <summary>The sending workspace's look; when set, the message also carries an HTML alternative in it.</summary>
    public EmailBranding? Branding { get; init; }
}

/// <summary>
/// A workspace's name, accent colour (already validated as <c>#rrggbb</c>) and logo (small: at most the logo limit),
/// which the logo travels inline with (a cid: part) so that mail clients show it without fetching anything.
/// </summary>
public sealed record EmailBranding(string WorkspaceName, string? AccentColour, ReadOnlyMemory<byte> Logo = default, string? LogoContentType = null);

/// <summary>The email seam: SMTP in production, a pickup folder for the embedded default.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
