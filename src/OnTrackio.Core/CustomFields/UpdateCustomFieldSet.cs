using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// Renames a set and replaces its fields and their order. A field taken out of a set keeps the values assets already
/// hold: they still show and export, and an asset's next save may clear them, but nothing is erased by a set edit.
/// </summary>
public sealed class UpdateCustomFieldSet(WorkspaceDbContext db, AuditTrail audit, CustomFieldQueries queries)
{
    public async Task<CustomFieldSetView> ExecuteAsync(Guid id, CustomFieldSetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var set = await db.Set<CustomFieldSet>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no custom field set with that id.");
        var members = await db.Set<CustomFieldSetMember>().Where(m => m.SetId == id).OrderBy(m => m.Position).ToListAsync(cancellationToken);
        var before = await CustomFieldRules.SnapshotAsync(db, set, members.Select(m => m.FieldId), cancellationToken);
        var fieldIds = await CustomFieldRules.ApplyAsync(db, set, input, cancellationToken);

        // Kept members are updated in place: removing and adding the same key in one save is not something EF tracks.
        db.RemoveRange(members.Where(m => !fieldIds.Contains(m.FieldId)));
        for (var position = 0; position < fieldIds.Count; position++)
        {
            if (members.Find(m => m.FieldId == fieldIds[position]) is { } kept)
            {
                kept.Position = position;
            }
            else
            {
                db.Add(new CustomFieldSetMember { SetId = id, FieldId = fieldIds[position], Position = position });
            }
        }

        var changes = AssetRecord.Diff(before, await CustomFieldRules.SnapshotAsync(db, set, fieldIds, cancellationToken));
        if (changes.Count > 0)
        {
            audit.AddChange(AuditEventType.CustomFieldSetUpdated, CustomFieldRules.SetEntity, set.Id.ToString(), changes, set.Name);
            await CustomFieldRules.SaveAsync(db, CustomFieldRules.SetEntity, cancellationToken);
        }

        return await queries.GetSetAsync(id, cancellationToken);
    }
}
