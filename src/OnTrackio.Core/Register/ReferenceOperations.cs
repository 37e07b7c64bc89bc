using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.People;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Register;

/// <summary>Lists one kind of reference data, by name.</summary>
public sealed class ListReferenceItems(WorkspaceDbContext db)
{
    public async Task<IReadOnlyList<ReferenceView>> ExecuteAsync(ReferenceKind kind, CancellationToken cancellationToken) => kind switch
    {
        ReferenceKind.Models => await db.Set<AssetModel>().AsNoTracking().OrderBy(m => m.Name)
            .Select(m => new ReferenceView(m.Id, m.Name, m.CategoryId, m.ManufacturerId, m.ModelNumber, m.EndOfLifeMonths, null, null, m.FieldSetId)).ToListAsync(cancellationToken),
        ReferenceKind.Categories => await db.Set<Category>().AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new ReferenceView(c.Id, c.Name, null, null, null, null, null, null, c.FieldSetId)).ToListAsync(cancellationToken),
        ReferenceKind.Locations => await db.Set<Location>().AsNoTracking().OrderBy(l => l.Name)
            .Select(l => new ReferenceView(l.Id, l.Name, null, null, null, null, l.ParentId, null)).ToListAsync(cancellationToken),
        ReferenceKind.StatusLabels => await db.Set<StatusLabel>().AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new ReferenceView(s.Id, s.Name, null, null, null, null, null, s.Kind)).ToListAsync(cancellationToken),
        _ => await ReferenceSets.Of(db, kind).AsNoTracking().OrderBy(r => r.Name)
            .Select(r => new ReferenceView(r.Id, r.Name, null, null, null, null, null, null)).ToListAsync(cancellationToken),
    };
}

/// <summary>Adds an item of reference data.</summary>
public sealed class CreateReferenceItem(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task<ReferenceView> ExecuteAsync(ReferenceKind kind, ReferenceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ReferenceItem item = kind switch
        {
            ReferenceKind.Categories => new Category { Name = string.Empty },
            ReferenceKind.Manufacturers => new Manufacturer { Name = string.Empty },
            ReferenceKind.Models => new AssetModel { Name = string.Empty },
            ReferenceKind.Suppliers => new Supplier { Name = string.Empty },
            ReferenceKind.Locations => new Location { Name = string.Empty },
            ReferenceKind.Departments => new Department { Name = string.Empty },
            _ => new StatusLabel { Name = string.Empty },
        };
        await ReferenceSets.ApplyAsync(db, kind, item, input, cancellationToken);
        db.Add(item);
        audit.AddChange(AuditEventType.ReferenceCreated, kind.Noun(), item.Id.ToString(), AssetRecord.Diff(new Dictionary<string, string?>(), ReferenceSets.Snapshot(item)), item.Name);
        await ReferenceSets.SaveAsync(db, kind, cancellationToken);
        return ReferenceSets.View(item);
    }
}

/// <summary>Changes an item of reference data.</summary>
public sealed class UpdateReferenceItem(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task<ReferenceView> ExecuteAsync(ReferenceKind kind, Guid id, ReferenceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var item = await ReferenceSets.FindAsync(db, kind, id, cancellationToken);
        var before = ReferenceSets.Snapshot(item);
        await ReferenceSets.ApplyAsync(db, kind, item, input, cancellationToken);
        var changes = AssetRecord.Diff(before, ReferenceSets.Snapshot(item));
        if (changes.Count > 0)
        {
            audit.AddChange(AuditEventType.ReferenceUpdated, kind.Noun(), item.Id.ToString(), changes, item.Name);
            await ReferenceSets.SaveAsync(db, kind, cancellationToken);
        }

        return ReferenceSets.View(item);
    }
}

/// <summary>
/// Deletes an item of reference data that nothing uses. One still in use is refused with what uses it, rather than
/// leaving assets without a model or people without a department (the foreign keys would refuse it too, less kindly).
/// </summary>
public sealed class DeleteReferenceItem(WorkspaceDbContext db, AuditTrail audit)
{
    public async Task ExecuteAsync(ReferenceKind kind, Guid id, CancellationToken cancellationToken)
    {
        var item = await ReferenceSets.FindAsync(db, kind, id, cancellationToken);
        var users = await UsesAsync(kind, id, cancellationToken);
        if (users is not null)
        {
            throw new ConflictException($"The {kind.Noun()} '{item.Name}' is still used by {users}; change those first.");
        }

        db.Remove(item);
        audit.AddChange(AuditEventType.ReferenceDeleted, kind.Noun(), item.Id.ToString(), AssetRecord.Diff(ReferenceSets.Snapshot(item), new Dictionary<string, string?>()), item.Name);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<string?> UsesAsync(ReferenceKind kind, Guid id, CancellationToken cancellationToken)
    {
        var assets = db.Set<Asset>();
        var (count, what) = kind switch
        {
            ReferenceKind.Categories => (await db.Set<AssetModel>().CountAsync(m => m.CategoryId == id, cancellationToken), "model"),
            ReferenceKind.Manufacturers => (await db.Set<AssetModel>().CountAsync(m => m.ManufacturerId == id, cancellationToken), "model"),
            ReferenceKind.Models => (await assets.CountAsync(a => a.ModelId == id, cancellationToken), "asset"),
            ReferenceKind.Suppliers => (await assets.CountAsync(a => a.SupplierId == id, cancellationToken), "asset"),
            ReferenceKind.StatusLabels => (await assets.CountAsync(a => a.StatusLabelId == id, cancellationToken), "asset"),
            ReferenceKind.Departments => (await db.Set<Person>().CountAsync(p => p.DepartmentId == id, cancellationToken), "person"),
            _ => (await assets.CountAsync(a => a.LocationId == id || a.AssignedLocationId == id, cancellationToken), "asset"),
        };
        if (count == 0 && kind == ReferenceKind.Locations)
        {
            (count, what) = (await db.Set<Person>().CountAsync(p => p.LocationId == id, cancellationToken), "person");
            if (count == 0)
            {
                (count, what) = (await db.Set<Location>().CountAsync(l => l.ParentId == id, cancellationToken), "location");
            }
        }

        // Deleted assets count: they keep their references so that a restore brings them back whole.
        return count switch
        {
            0 => null,
            1 => $"1 {what}",
            _ => $"{count} {(what == "person" ? "people" : what + "s")}",
        };
    }
}
