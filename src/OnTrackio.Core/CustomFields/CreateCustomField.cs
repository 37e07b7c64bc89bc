using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>Adds a custom field; it shows on assets once a set that applies to them lists it.</summary>
public sealed class CreateCustomField(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task<CustomFieldView> ExecuteAsync(CustomFieldInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var field = new CustomField { Name = string.Empty };
        await CustomFieldRules.ApplyAsync(db, field, input, cancellationToken);
        db.Add(field);
        audit.AddChange(
            AuditEventType.CustomFieldCreated, CustomFieldRules.FieldEntity, field.Id.ToString(),
            AssetRecord.Diff(new Dictionary<string, string?>(), CustomFieldRules.Snapshot(field)), field.Name);
        await CustomFieldRules.SaveAsync(db, CustomFieldRules.FieldEntity, cancellationToken);
        return CustomFieldRules.View(field, 0);
    }
}
