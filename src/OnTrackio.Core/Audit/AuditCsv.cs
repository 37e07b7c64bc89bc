using System.Globalization;
using System.Text;

namespace OnTrackio.Audit;

/// <summary>Writes audit entries as formula-safe RFC 4180 CSV (<see cref="Csv"/>).</summary>
public static class AuditCsv
{
    public const string Header = "id,sequence,occurred_at_utc,type,actor_type,actor_id,actor_label,subject,entity_type,entity_id,changes,ip_address,user_agent,hash";

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<AuditEvent> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        await writer.WriteAsync(Header + "\r\n");
        var line = new StringBuilder();
        await foreach (var e in entries.WithCancellation(cancellationToken))
        {
            string?[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.Sequence?.ToString(CultureInfo.InvariantCulture),
                e.OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture), e.Type.ToString(),
                e.ActorType, e.ActorId?.ToString(), e.ActorLabel, e.Subject, e.EntityType, e.EntityId, e.Changes, e.IpAddress, e.UserAgent, e.Hash,
            ];
            await writer.WriteAsync(Csv.Row(line, cells), cancellationToken);
        }
    }
}
