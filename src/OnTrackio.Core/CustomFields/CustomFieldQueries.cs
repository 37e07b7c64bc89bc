using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.CustomFields;

/// <summary>Reads this workspace's custom fields and sets, for the settings page, the API and the asset forms.</summary>
public sealed class CustomFieldQueries(WorkspaceDbContext db)
{
    public async Task<IReadOnlyList<CustomFieldView>> ListFieldsAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Set<CustomField>().AsNoTracking().OrderBy(f => f.Name)
            .Select(f => new { Field = f, Count = db.Set<AssetFieldValue>().Count(v => v.FieldId == f.Id) })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => CustomFieldRules.View(r.Field, r.Count))];
    }

    public async Task<CustomFieldView> GetFieldAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Set<CustomField>().AsNoTracking().Where(f => f.Id == id)
            .Select(f => new { Field = f, Count = db.Set<AssetFieldValue>().Count(v => v.FieldId == f.Id) })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This workspace has no custom field with that id.");
        return CustomFieldRules.View(row.Field, row.Count);
    }

    /// <summary>Every field, by name, as the asset list's filters offer them.</summary>
    public async Task<IReadOnlyList<CustomField>> AllFieldsAsync(CancellationToken cancellationToken) =>
        await db.Set<CustomField>().AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);

    /// <summary>The fields an asset of <paramref name="modelId"/> shows and validates, in the set's order; none without a model.</summary>
    public async Task<IReadOnlyList<CustomField>> FieldsForModelAsync(Guid? modelId, CancellationToken cancellationToken) =>
        modelId is { } id ? await CustomFieldValues.FieldsForModelAsync(db, id, cancellationToken) : [];

    public async Task<IReadOnlyList<CustomFieldSetView>> ListSetsAsync(CancellationToken cancellationToken) =>
        await SetsAsync(db.Set<CustomFieldSet>().AsNoTracking(), cancellationToken);

    public async Task<CustomFieldSetView> GetSetAsync(Guid id, CancellationToken cancellationToken) =>
        (await SetsAsync(db.Set<CustomFieldSet>().AsNoTracking().Where(s => s.Id == id), cancellationToken)).SingleOrDefault()
        ?? throw new NotFoundException("This workspace has no custom field set with that id.");

    private async Task<IReadOnlyList<CustomFieldSetView>> SetsAsync(IQueryable<CustomFieldSet> sets, CancellationToken cancellationToken)
    {
        var rows = await sets.OrderBy(s => s.Name).Select(s => new
        {
            s.Id,
            s.Name,
            Models = db.Set<AssetModel>().Count(m => m.FieldSetId == s.Id),
            Categories = db.Set<Category>().Count(c => c.FieldSetId == s.Id),
        }).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var members = await (
            from m in db.Set<CustomFieldSetMember>()
            join f in db.Set<CustomField>() on m.FieldId equals f.Id
            where ids.Contains(m.SetId)
            orderby m.Position, f.Name
            select new { m.SetId, View = new CustomFieldSetMemberView(f.Id, f.Name, f.Type) }).AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.Select(r => new CustomFieldSetView(
            r.Id, r.Name, [.. members.Where(m => m.SetId == r.Id).Select(m => m.View)], r.Models, r.Categories))];
    }
}
