using System.Text.Json;
using System.Text.Json.Nodes;

namespace OnTrackio.Assets;

/// <summary>
/// Changes some of an asset's details with a JSON Merge Patch (RFC 7396): the asset's current details as an
/// <see cref="AssetInput"/>, the patch merged over them, then exactly PUT's checks and save (<see cref="UpdateAsset"/>)
/// over the version If-Match names. A member the input does not have is refused, never ignored: a misspelt field
/// silently dropped would look like a change that was made.
/// </summary>
public sealed class PatchAsset(AssetQueries queries, UpdateAsset update)
{
    public const string MediaType = "application/merge-patch+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every asset has these, so a patch cannot remove them (null); it can only replace them.</summary>
    private static readonly string[] Required = ["tag", "modelId", "statusLabelId"];

    public async Task<AssetView> ExecuteAsync(Guid id, long expectedVersion, JsonElement patch, CancellationToken cancellationToken)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new OperationRefusedException("A merge patch is a JSON object of the fields to change, for example {\"name\": \"Reception PC\"}.");
        }

        var current = await queries.GetAsync(id, cancellationToken);
        var input = JsonSerializer.SerializeToNode(AssetInput.From(current), Json)!.AsObject();
        Merge(input, patch);
        AssetInput merged;
        try
        {
            merged = input.Deserialize<AssetInput>(Json)!;
        }
        catch (JsonException ex)
        {
            throw new OperationRefusedException($"The value of '{ex.Path?.TrimStart('$', '.')}' is not of that field's type (text, number or id).");
        }

        return await update.ExecuteAsync(id, expectedVersion, merged, cancellationToken);
    }

    /// <summary>
    /// Merges the patch's members into the input. Member names match the input's regardless of case, as the PUT body's
    /// do; a name the input does not have, or one given twice, refuses the whole patch, naming each.
    /// </summary>
    private static void Merge(JsonObject input, JsonElement patch)
    {
        var unknown = new List<string>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in patch.EnumerateObject())
        {
            var name = input.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, member.Name, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                unknown.Add(member.Name);
            }
            else if (!seen.Add(name))
            {
                problems.Add($"'{name}' is given more than once.");
            }
            else if (member.Value.ValueKind == JsonValueKind.Null && Required.Contains(name))
            {
                problems.Add($"'{name}' is required and cannot be removed; give it a new value instead.");
            }
            else
            {
                input[name] = MergeValue(input[name], member.Value);
            }
        }

        if (unknown.Count > 0)
        {
            problems.Insert(0, $"An asset has no field {string.Join(", ", unknown.Select(u => $"'{u}'"))}; its fields are {string.Join(", ", input.Select(p => p.Key))}.");
        }

        if (problems.Count > 0)
        {
            throw new OperationRefusedException(string.Join(" ", problems));
        }
    }

    /// <summary>
    /// RFC 7396 for one member: an object merges into an object member (custom values, by name), anything else
    /// replaces it. Inside an object a null stays as an explicit null rather than removing the key, so that the input
    /// says "clear this value" whether its reader treats a missing key as cleared or as unchanged.
    /// </summary>
    private static JsonNode? MergeValue(JsonNode? target, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return JsonNode.Parse(patch.GetRawText());
        }

        var merged = target is JsonObject current ? current.DeepClone().AsObject() : [];
        foreach (var member in patch.EnumerateObject())
        {
            merged[member.Name] = MergeValue(merged[member.Name], member.Value);
        }

        return merged;
    }
}
