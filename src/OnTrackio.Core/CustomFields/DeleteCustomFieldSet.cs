using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>
/// Deletes a set that no model or category chooses (one still chosen is refused with who chooses it). Its fields and
/// their values stay: a set only groups fields.
/// </summary>
public sealed class DeleteCustomFieldSet(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var set = await db.Set<CustomFieldSet>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no custom field set with that id.");
        var models = await db.Set<AssetModel>().CountAsync(m => m.FieldSetId == id, cancellationToken);
        var categories = await db.Set<Category>().CountAsync(c => c.FieldSetId == id, cancellationToken);
        if (models + categories > 0)
        {
            var users = new[] { Count(models, "model", "models"), Count(categories, "category", "categories") }.Where(u => u is not null);
            throw new ConflictException($"The set '{set.Name}' is still chosen by {string.Join(" and ", users)}; choose another set for those first.");
        }

        var members = await db.Set<CustomFieldSetMember>().Where(m => m.SetId == id).OrderBy(m => m.Position).ToListAsync(cancellationToken);
        var before = await CustomFieldRules.SnapshotAsync(db, set, members.Select(m => m.FieldId), cancellationToken);
        db.RemoveRange(members);
        db.Remove(set);
        audit.AddChange(AuditEventType.CustomFieldSetDeleted, CustomFieldRules.SetEntity, set.Id.ToString(), AssetRecord.Diff(before, new Dictionary<string, string?>()), set.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Count(int count, string one, string many) => count switch
    {
        0 => null,
        1 => $"1 {one}",
        _ => $"{count} {many}",
    };
}
