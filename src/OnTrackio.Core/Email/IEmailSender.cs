namespace OnTrackio.Email;

public sealed record EmailMessage(string To, string Subject, string TextBody);

/// <summary>The email seam: SMTP in production, a pickup folder for the embedded default.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
