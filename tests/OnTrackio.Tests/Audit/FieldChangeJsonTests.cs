using System.Text.Json;
using OnTrackio.Audit;

namespace OnTrackio.Tests.Audit;

public sealed class FieldChangeJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void ToJson_WritesWhatTheSerializerWrites()
    {
        // Entries written before the hand-written form kept the serializer's output; both must read (and hash) alike.
        FieldChange[] changes =
        [
            new("tag", null, "LAP-0001"),
            new("notes", "say \"hi\"\n\t<script>&'", null),
            new("custom.RAM (GB)", "16", "32"),
            new("name", "Zoë's ThinkPad – 14\" 😀", "\u0001\u001f\u2028"),
            new("secret", FieldChange.Masked, FieldChange.Masked),
        ];

        Assert.Equal(JsonSerializer.Serialize(changes, Web), FieldChange.ToJson(changes));
    }

    [Fact]
    public void ToJson_ReadsBackAsTheChanges()
    {
        FieldChange[] changes = [new("serial", "A", null), new("cost", null, "1299.00")];

        var read = JsonSerializer.Deserialize<FieldChange[]>(FieldChange.ToJson(changes), Web);

        Assert.Equal(changes, read);
    }
}
