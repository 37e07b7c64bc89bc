using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// Changes a custom field. Values are stored in the canonical text of their type and matched to a list's options by
/// text, so two changes that would strand values are refused rather than done: a new type while values exist (they
/// would no longer read as that type), and dropping an option that assets still hold. Making a field required is
/// allowed; assets that lack a value are asked for one the next time they are saved.
/// </summary>
public sealed class UpdateCustomField(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task<CustomFieldView> ExecuteAsync(Guid id, CustomFieldInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var field = await db.Set<CustomField>().SingleOrDefaultAsync(f => f.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no custom field with that id.");
        var before = CustomFieldRules.Snapshot(field);
        var (oldType, oldOptions) = (field.Type, field.OptionList);
        await CustomFieldRules.ApplyAsync(db, field, input, cancellationToken);

        var values = db.Set<AssetFieldValue>().Where(v => v.FieldId == id);
        if (field.Type != oldType && await values.CountAsync(cancellationToken) is var held and > 0)
        {
            throw new ConflictException(
                $"'{field.Name}' holds values on {Assets(held)}, so its type cannot change from {oldType} to {field.Type}. "
                + "Add a new field of that type instead, or delete this one with its values.");
        }

        var dropped = oldOptions.Except(field.OptionList, StringComparer.Ordinal).ToList();
        if (field.Type == CustomFieldType.List && dropped.Count > 0)
        {
            var inUse = await values.Where(v => dropped.Contains(v.Value)).GroupBy(v => v.Value)
                .Select(g => new { Option = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            if (inUse.Count > 0)
            {
                throw new ConflictException(string.Join(" ", inUse.OrderBy(u => u.Option, StringComparer.Ordinal).Select(u =>
                    $"Option '{u.Option}' of '{field.Name}' is held by {Assets(u.Count)}; change those assets before removing or renaming it.")));
            }
        }

        var changes = AssetRecord.Diff(before, CustomFieldRules.Snapshot(field));
        if (changes.Count > 0)
        {
            audit.AddChange(AuditEventType.CustomFieldUpdated, CustomFieldRules.FieldEntity, field.Id.ToString(), changes, field.Name);
            await CustomFieldRules.SaveAsync(db, CustomFieldRules.FieldEntity, cancellationToken);
        }

        return CustomFieldRules.View(field, await values.CountAsync(cancellationToken));
    }

    internal static string Assets(int count) => count == 1 ? "1 asset" : $"{count} assets";
}
