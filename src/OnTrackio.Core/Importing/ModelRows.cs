using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>Rows of models, named by their name. The category, manufacturer and field set are named too, and must exist.</summary>
internal sealed class ModelRows(WorkspaceDbContext db, AuditTrail audit, ImportHeader header, AuditActor actor) : ImportRows
{
    public static readonly ImportColumn Name = new("name", "model", "model name");
    public static readonly ImportColumn Category = new("category");
    public static readonly ImportColumn Manufacturer = new("manufacturer", "make", "brand");
    public static readonly ImportColumn ModelNumber = new("model_number", "model no", "part number");
    public static readonly ImportColumn EndOfLife = new("end_of_life_months", "end of life", "eol months", "eol", "lifetime months");
    public static readonly ImportColumn FieldSet = new("field_set", "custom field set", "fieldset");

    public static readonly IReadOnlyList<ImportColumn> Columns = [Name, Category, Manufacturer, ModelNumber, EndOfLife, FieldSet];

    private readonly Dictionary<string, int> _nameLines = new(StringComparer.OrdinalIgnoreCase);
    private NameLookup _models = new();
    private NameLookup _categories = new();
    private NameLookup _manufacturers = new();
    private readonly NameLookup _sets = new();

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        _models = await NamesAsync(db.Set<AssetModel>(), cancellationToken);
        _categories = await NamesAsync(db.Set<Category>(), cancellationToken);
        _manufacturers = await NamesAsync(db.Set<Manufacturer>(), cancellationToken);
        foreach (var set in await db.Set<CustomFieldSet>().AsNoTracking().Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken))
        {
            _sets.Add(set.Name, set.Id);
        }
    }

    public override async Task CheckAsync(IReadOnlyList<ImportRow> batch, ImportTally tally, bool apply, CancellationToken cancellationToken)
    {
        var matched = batch.Select(row => Match(row)).ToList();
        var ids = matched.Where(m => m.Target is not null).Select(m => m.Target!.Value).ToList();
        var models = apply ? db.Set<AssetModel>() : db.Set<AssetModel>().AsNoTracking();
        var existing = ids.Count == 0 ? [] : await models.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var (row, name, target, keyError) in matched)
        {
            var check = new InputCheck();
            if (keyError is not null)
            {
                check.Fail(keyError);
            }

            AssetModel? model = null;
            if (target is { } id && !existing.TryGetValue(id, out model))
            {
                check.Fail($"Model {Quote(name!)} was deleted while the import ran.");
            }

            var categoryId = model?.CategoryId;
            if (header.Has(Category))
            {
                categoryId = Reference(_categories, header.Cell(row, Category), "category", check);
                if (Clean(header.Cell(row, Category)) is null && keyError is null)
                {
                    check.Fail("A model needs a category.");
                }
            }
            else if (model is null && keyError is null)
            {
                check.Fail("A model needs a category, and the file has no category column.");
            }

            var manufacturer = header.Has(Manufacturer) ? Reference(_manufacturers, header.Cell(row, Manufacturer), "manufacturer", check) : model?.ManufacturerId;
            var number = header.Has(ModelNumber) ? check.Text(header.Cell(row, ModelNumber), "Model number", 100) : model?.ModelNumber;
            var endOfLife = header.Has(EndOfLife) ? Months(header.Cell(row, EndOfLife), check) : model?.EndOfLifeMonths;
            var set = header.Has(FieldSet) ? Reference(_sets, header.Cell(row, FieldSet), "custom field set", check) : model?.FieldSetId;
            if (check.Errors.Count > 0)
            {
                tally.Reject(row.Line, name, check.Errors);
                continue;
            }

            var before = model is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : Snapshot(model);
            var subject = model ?? new AssetModel { Name = name! };
            (subject.CategoryId, subject.ManufacturerId, subject.ModelNumber, subject.EndOfLifeMonths, subject.FieldSetId) =
                (categoryId!.Value, manufacturer, number, endOfLife, set);
            var changes = AssetRecord.Diff(before, Snapshot(subject));
            if (model is not null && changes.Count == 0)
            {
                continue;
            }

            if (model is null)
            {
                tally.Create();
            }
            else
            {
                tally.Update();
            }

            if (apply)
            {
                if (model is null)
                {
                    Added.Add(subject);
                }

                Added.Add(audit.ChangeEntry(
                    model is null ? AuditEventType.ReferenceCreated : AuditEventType.ReferenceUpdated,
                    ReferenceKind.Models.Noun(), subject.Id.ToString(), changes, subject.Name, actor));
            }
        }
    }

    private (ImportRow Row, string? Name, Guid? Target, string? KeyError) Match(ImportRow row)
    {
        var check = new InputCheck();
        var name = check.Text(header.Cell(row, Name), "Name", ReferenceInput.MaxNameLength, required: true);
        if (check.Errors.Count > 0)
        {
            return (row, name, null, check.Errors[0]);
        }

        if (_nameLines.TryGetValue(name!, out var first))
        {
            return (row, name, null, $"Model {Quote(name!)} is also on line {first}.");
        }

        _nameLines[name!] = row.Line;
        return (row, name, _models.Find(name!, out _), null);
    }

    /// <summary>The audited fields of a model, as reference data records them, with its field set, which models gained since.</summary>
    private static Dictionary<string, string?> Snapshot(AssetModel model)
    {
        var snapshot = ReferenceSets.Snapshot(model);
        snapshot["fieldSetId"] = model.FieldSetId?.ToString();
        return snapshot;
    }

    private static int? Months(string? raw, InputCheck check)
    {
        if (Clean(raw) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var months))
        {
            return check.WholeNumber(months, "End of life (months)", 1, 600);
        }

        check.Fail($"End of life (months) {Quote(text)} is not a whole number of months.");
        return null;
    }
}
