using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// What creating and changing an asset does with its custom values: check what was sent against the fields of the set
/// that applies to the asset's model, work out the values it will hold, and write them as rows in the caller's unit of
/// work, so they commit with the asset and its audit entry.
/// </summary>
internal static class AssetCustomValues
{
    /// <summary>
    /// The values the asset holds after the change, by field id. Every field of the set is checked against its type
    /// (required ones must have a value): from <paramref name="given"/> when sent (a field left out is cleared, as PUT
    /// replaces), else from <paramref name="stored"/>. A value for a field outside the set is refused unless it is the
    /// one already stored (a round-tripped view), and a blank one clears it; values outside the set that are not
    /// mentioned stay, so a model change or a set edit never erases data on its own.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> ResolveAsync(
        WorkspaceDbContext db, Guid modelId, IReadOnlyDictionary<Guid, string?>? given, IReadOnlyDictionary<Guid, string> stored,
        InputCheck check, CancellationToken cancellationToken)
    {
        var fields = await CustomFieldValues.FieldsForModelAsync(db, modelId, cancellationToken);
        var values = new Dictionary<Guid, string>(stored);
        foreach (var field in fields)
        {
            var raw = given is null ? stored.GetValueOrDefault(field.Id) : given.GetValueOrDefault(field.Id);
            if (CustomFieldValues.Normalize(field, raw, check) is { } value)
            {
                values[field.Id] = value;
            }
            else
            {
                values.Remove(field.Id);
            }
        }

        var inSet = fields.Select(f => f.Id).ToHashSet();
        var outside = given?.Where(g => !inSet.Contains(g.Key)).ToList() ?? [];
        var refused = outside
            .Where(g => !string.IsNullOrWhiteSpace(g.Value) && !string.Equals(stored.GetValueOrDefault(g.Key), g.Value.Trim(), StringComparison.Ordinal))
            .Select(g => g.Key).ToList();
        if (refused.Count > 0)
        {
            var names = await db.Set<CustomField>().Where(f => refused.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);
            foreach (var id in refused)
            {
                check.Fail(names.TryGetValue(id, out var name)
                    ? $"'{name}' is not one of the custom fields of this asset's model; leave it out, or choose a model whose set has it."
                    : $"This workspace has no custom field with id {id}.");
            }
        }

        foreach (var (id, _) in outside.Where(g => string.IsNullOrWhiteSpace(g.Value)))
        {
            values.Remove(id);
        }

        return values;
    }

    /// <summary>The asset's stored values, tracked, so that <see cref="Write"/> can change them.</summary>
    public static async Task<List<AssetFieldValue>> LoadAsync(WorkspaceDbContext db, Guid assetId, CancellationToken cancellationToken) =>
        await db.Set<AssetFieldValue>().Where(v => v.AssetId == assetId).ToListAsync(cancellationToken);

    /// <summary>Every field's name by id: audit entries name fields (<c>custom.&lt;name&gt;</c>), and a workspace has few.</summary>
    public static async Task<Dictionary<Guid, string>> NamesAsync(WorkspaceDbContext db, CancellationToken cancellationToken) =>
        await db.Set<CustomField>().AsNoTracking().ToDictionaryAsync(f => f.Id, f => f.Name, cancellationToken);

    public static Dictionary<string, string?> ByName(IReadOnlyDictionary<Guid, string> values, IReadOnlyDictionary<Guid, string> names) =>
        values.ToDictionary(v => names.GetValueOrDefault(v.Key, v.Key.ToString()), v => (string?)v.Value, StringComparer.Ordinal);

    /// <summary>Adds, changes and removes rows so that the asset holds exactly <paramref name="values"/>.</summary>
    public static void Write(WorkspaceDbContext db, Guid assetId, IReadOnlyList<AssetFieldValue> stored, IReadOnlyDictionary<Guid, string> values)
    {
        foreach (var row in stored)
        {
            if (!values.TryGetValue(row.FieldId, out var value))
            {
                db.Remove(row);
            }
            else if (!string.Equals(row.Value, value, StringComparison.Ordinal))
            {
                row.Value = value;
            }
        }

        foreach (var (fieldId, value) in values.Where(v => !stored.Any(row => row.FieldId == v.Key)))
        {
            db.Add(new AssetFieldValue { AssetId = assetId, FieldId = fieldId, Value = value });
        }
    }
}
