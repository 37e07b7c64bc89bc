using System.Globalization;
using System.Text;

namespace OnTrackio.Audit;

/// <summary>
/// Writes audit entries as RFC 4180 CSV. A cell that starts with = + - @ (or a tab or carriage return) is prefixed
/// with a single quote, because spreadsheets run such cells as formulas, and audit text (a subject, a user agent)
/// comes from whoever made the request.
/// </summary>
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
            line.Clear();
            string?[] cells =
            [
                e.Id.ToString(CultureInfo.InvariantCulture), e.Sequence?.ToString(CultureInfo.InvariantCulture),
                e.OccurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture), e.Type.ToString(),
                e.ActorType, e.ActorId?.ToString(), e.ActorLabel, e.Subject, e.EntityType, e.EntityId, e.Changes, e.IpAddress, e.UserAgent, e.Hash,
            ];
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    line.Append(',');
                }

                line.Append(Cell(cells[i]));
            }

            await writer.WriteAsync(line.Append("\r\n"), cancellationToken);
        }
    }

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
