using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.CustomFields;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Register;

/// <summary>What the reference-data operations share: finding an item of a kind, validating input for it, saving it.</summary>
internal static class ReferenceSets
{
    public static IQueryable<ReferenceItem> Of(WorkspaceDbContext db, ReferenceKind kind) => kind switch
    {
        ReferenceKind.Categories => db.Set<Category>(),
        ReferenceKind.Manufacturers => db.Set<Manufacturer>(),
        ReferenceKind.Models => db.Set<AssetModel>(),
        ReferenceKind.Suppliers => db.Set<Supplier>(),
        ReferenceKind.Locations => db.Set<Location>(),
        ReferenceKind.Departments => db.Set<Department>(),
        _ => db.Set<StatusLabel>(),
    };

    public static async Task<ReferenceItem> FindAsync(WorkspaceDbContext db, ReferenceKind kind, Guid id, CancellationToken cancellationToken) =>
        await Of(db, kind).SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
        ?? throw new NotFoundException($"This workspace has no {kind.Noun()} with that id.");

    public static async Task ApplyAsync(WorkspaceDbContext db, ReferenceKind kind, ReferenceItem item, ReferenceInput input, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var name = check.Text(input.Name, "Name", ReferenceInput.MaxNameLength, required: true);
        if (kind != ReferenceKind.Models && (input.CategoryId ?? input.ManufacturerId ?? (object?)input.ModelNumber ?? input.EndOfLifeMonths) is not null)
        {
            check.Fail($"Only a model has a category, manufacturer, model number or end of life; a {kind.Noun()} does not.");
        }

        if (kind != ReferenceKind.Locations && input.ParentId is not null)
        {
            check.Fail($"Only a location has a parent; a {kind.Noun()} does not.");
        }

        if (kind != ReferenceKind.StatusLabels && input.Kind is not null)
        {
            check.Fail($"Only a status label has a kind; a {kind.Noun()} does not.");
        }

        if (input.FieldSetId is { } setId)
        {
            if (kind is not (ReferenceKind.Models or ReferenceKind.Categories))
            {
                check.Fail($"Only a model or a category chooses a custom field set; a {kind.Noun()} does not.");
            }
            else if (!await db.Set<CustomFieldSet>().AnyAsync(s => s.Id == setId, cancellationToken))
            {
                check.Fail("This workspace has no custom field set with that id.");
            }
        }

        switch (item)
        {
            case AssetModel model:
                var number = check.Text(input.ModelNumber, "Model number", 100);
                check.WholeNumber(input.EndOfLifeMonths, "End of life (months)", 1, 600);
                if (input.CategoryId is null)
                {
                    check.Fail("A model needs a category.");
                }
                else if (!await db.Set<Category>().AnyAsync(c => c.Id == input.CategoryId, cancellationToken))
                {
                    check.Fail("This workspace has no category with that id.");
                }

                if (input.ManufacturerId is not null && !await db.Set<Manufacturer>().AnyAsync(m => m.Id == input.ManufacturerId, cancellationToken))
                {
                    check.Fail("This workspace has no manufacturer with that id.");
                }

                check.ThrowIfInvalid();
                (model.CategoryId, model.ManufacturerId, model.ModelNumber, model.EndOfLifeMonths) = (input.CategoryId!.Value, input.ManufacturerId, number, input.EndOfLifeMonths);
                model.FieldSetId = input.FieldSetId;
                break;
            case Category category:
                check.ThrowIfInvalid();
                category.FieldSetId = input.FieldSetId;
                break;
            case Location location:
                if (input.ParentId is { } parent && !await IsValidParentAsync(db, location.Id, parent, cancellationToken))
                {
                    check.Fail("The parent location does not exist here, or is this location or one inside it.");
                }

                check.ThrowIfInvalid();
                location.ParentId = input.ParentId;
                break;
            case StatusLabel label:
                if (input.Kind is not { } statusKind || !Enum.IsDefined(statusKind))
                {
                    check.Fail("A status label needs a kind: Deployable, Pending, Archived or Undeployable.");
                }

                check.ThrowIfInvalid();
                label.Kind = input.Kind!.Value;
                break;
            default:
                break;
        }

        check.ThrowIfInvalid();
        var taken = kind == ReferenceKind.Locations
            ? await db.Set<Location>().AnyAsync(l => l.Id != item.Id && l.Name == name && l.ParentId == input.ParentId, cancellationToken)
            : await Of(db, kind).AnyAsync(r => r.Id != item.Id && r.Name == name, cancellationToken);
        if (taken)
        {
            throw new ConflictException($"There is already a {kind.Noun()} named '{name}'{(kind == ReferenceKind.Locations ? " in that place" : string.Empty)}.");
        }

        item.Name = name!;
    }

    public static async Task SaveAsync(WorkspaceDbContext db, ReferenceKind kind, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            throw new ConflictException($"There is already a {kind.Noun()} with that name.");
        }
    }

    public static Dictionary<string, string?> Snapshot(ReferenceItem item)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal) { ["name"] = item.Name };
        switch (item)
        {
            case AssetModel model:
                fields["categoryId"] = model.CategoryId.ToString();
                fields["manufacturerId"] = model.ManufacturerId?.ToString();
                fields["modelNumber"] = model.ModelNumber;
                fields["endOfLifeMonths"] = model.EndOfLifeMonths?.ToString(CultureInfo.InvariantCulture);
                fields["fieldSetId"] = model.FieldSetId?.ToString();
                break;
            case Category category:
                fields["fieldSetId"] = category.FieldSetId?.ToString();
                break;
            case Location location:
                fields["parentId"] = location.ParentId?.ToString();
                break;
            case StatusLabel label:
                fields["kind"] = label.Kind.ToString();
                break;
            default:
                break;
        }

        return fields;
    }

    public static ReferenceView View(ReferenceItem item) => item switch
    {
        AssetModel m => new ReferenceView(m.Id, m.Name, m.CategoryId, m.ManufacturerId, m.ModelNumber, m.EndOfLifeMonths, FieldSetId: m.FieldSetId),
        Category c => new ReferenceView(c.Id, c.Name, FieldSetId: c.FieldSetId),
        Location l => new ReferenceView(l.Id, l.Name, ParentId: l.ParentId),
        StatusLabel s => new ReferenceView(s.Id, s.Name, Kind: s.Kind),
        _ => new ReferenceView(item.Id, item.Name),
    };

    /// <summary>A location cannot sit inside itself or inside one of its own descendants (the tree would become a loop).</summary>
    private static async Task<bool> IsValidParentAsync(WorkspaceDbContext db, Guid self, Guid parent, CancellationToken cancellationToken)
    {
        Guid? current = parent;
        for (var depth = 0; current is { } id && depth < 64; depth++)
        {
            if (id == self)
            {
                return false;
            }

            var row = await db.Set<Location>().AsNoTracking().Where(l => l.Id == id).Select(l => new { l.ParentId }).SingleOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return false;
            }

            current = row.ParentId;
        }

        return current is null;
    }
}
