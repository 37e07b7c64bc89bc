using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// Deletes a custom field and takes it out of every set. A field that assets hold values for is refused unless the
/// caller says to delete those values too (<c>deleteValues</c>): one click should not erase data typed into hundreds
/// of assets. With it, the values, the memberships, the field and its audit entry (which counts the values deleted)
/// commit together or not at all.
/// </summary>
public sealed class DeleteCustomField(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task ExecuteAsync(Guid id, bool deleteValues, CancellationToken cancellationToken)
    {
        var field = await db.Set<CustomField>().SingleOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no custom field with that id.");
        var values = db.Set<AssetFieldValue>().Where(v => v.FieldId == id);
        var held = await values.CountAsync(cancellationToken);
        if (held > 0 && !deleteValues)
        {
            throw new ConflictException(
                $"'{field.Name}' holds values on {UpdateCustomField.Assets(held)}. Delete it with its values (deleteValues=true), or keep it.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await values.ExecuteDeleteAsync(cancellationToken);
        await db.Set<CustomFieldSetMember>().Where(m => m.FieldId == id).ExecuteDeleteAsync(cancellationToken);
        db.Remove(field);
        var changes = AssetRecord.Diff(CustomFieldRules.Snapshot(field), new Dictionary<string, string?>());
        if (deleted > 0)
        {
            changes.Add(new FieldChange("assetValues", deleted.ToString(CultureInfo.InvariantCulture), null));
        }

        audit.AddChange(AuditEventType.CustomFieldDeleted, CustomFieldRules.FieldEntity, field.Id.ToString(), changes, field.Name);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
