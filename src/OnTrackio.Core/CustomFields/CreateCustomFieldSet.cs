using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>Adds a set of custom fields, in the order forms show them; models and categories then choose it.</summary>
public sealed class CreateCustomFieldSet(WorkspaceDbContext db, AuditTrail audit, CustomFieldQueries queries)
{
    public async Task<CustomFieldSetView> ExecuteAsync(CustomFieldSetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var set = new CustomFieldSet { Name = string.Empty };
        var fieldIds = await CustomFieldRules.ApplyAsync(db, set, input, cancellationToken);
        db.Add(set);
        db.AddRange(fieldIds.Select((fieldId, position) => new CustomFieldSetMember { SetId = set.Id, FieldId = fieldId, Position = position }));
        audit.AddChange(
            AuditEventType.CustomFieldSetCreated, CustomFieldRules.SetEntity, set.Id.ToString(),
            AssetRecord.Diff(new Dictionary<string, string?>(), await CustomFieldRules.SnapshotAsync(db, set, fieldIds, cancellationToken)), set.Name);
        await CustomFieldRules.SaveAsync(db, CustomFieldRules.SetEntity, cancellationToken);
        return await queries.GetSetAsync(set.Id, cancellationToken);
    }
}
