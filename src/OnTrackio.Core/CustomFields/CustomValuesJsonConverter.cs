using System.Text.Json;
using System.Text.Json.Serialization;

namespace OnTrackio.CustomFields;

/// <summary>
/// Reads custom values keyed by field id, taking a JSON number or boolean as its text ("ramGb": 16 as "16"), so an
/// API client can send values in their natural JSON type; each is then checked against its field like typed text.
/// </summary>
public sealed class CustomValuesJsonConverter : JsonConverter<Dictionary<Guid, string?>>
{
    public override Dictionary<Guid, string?> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Custom fields are an object of values keyed by field id.");
        }

        var values = new Dictionary<Guid, string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString();
            if (!Guid.TryParse(key, out var fieldId))
            {
                throw new JsonException($"'{key}' is not a custom field id.");
            }

            reader.Read();
            values[fieldId] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => null,
                _ => throw new JsonException("A custom value is text, a number, true, false or null."),
            };
        }

        return values;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<Guid, string?> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (fieldId, text) in value)
        {
            writer.WriteString(fieldId.ToString(), text);
        }

        writer.WriteEndObject();
    }
}
