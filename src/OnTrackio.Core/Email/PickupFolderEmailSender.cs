using Microsoft.Extensions.Options;
using OnTrackio.Databases;

namespace OnTrackio.Email;

/// <summary>The embedded default: each message is an owner-only <c>.eml</c> file in the pickup folder, for a mail client or a person to open.</summary>
internal sealed class PickupFolderEmailSender(IOptions<EmailOptions> options, IOptions<SqliteEngineOptions> sqlite, TimeProvider time) : IEmailSender
{
    public string Directory => options.Value.PickupDirectory ?? Path.Combine(sqlite.Value.ResolvedDataDirectory, "mail");

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var directory = Directory;
        OwnerOnly.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml");
        await using var stream = new FileStream(path, OwnerOnly.NewFile());
        await MimeMessages.From(options.Value, message).WriteToAsync(stream, cancellationToken);
    }
}
