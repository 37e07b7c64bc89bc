using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OnTrackio.Audit;

/// <summary>One field's value before and after a change, as text; secrets are masked before they get here.</summary>
public sealed record FieldChange(string Field, string? Before, string? After)
{
    public const string Masked = "••••••";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>
    /// The changes as an audit entry keeps them: <c>[{"field":…,"before":…,"after":…}]</c>, what the serializer's web
    /// defaults write for this record, escaped by the same default encoder. Written by hand because an import writes
    /// one per row, and the reflection-based serializer was a sixth of the time spent checking each row.
    /// </summary>
    public static string ToJson(IReadOnlyList<FieldChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var change in changes)
            {
                json.WriteStartObject();
                json.WriteString("field"u8, change.Field);
                json.WriteString("before"u8, change.Before);
                json.WriteString("after"u8, change.After);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
