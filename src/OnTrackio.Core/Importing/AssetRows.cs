using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// Rows of assets. A row names its asset by tag, or by serial when it has no tag; one that names none is a new asset
/// numbered from the tag sequence. Columns the file has set the value (blank clears it); columns it lacks leave an
/// existing asset's value alone. References are by name and must exist: an import never invents a model or a status.
/// </summary>
internal sealed class AssetRows(WorkspaceDbContext db, AssetRecord record, ImportHeader header, AuditActor actor, string fileName, TimeProvider time)
    : ImportRows
{
    public static readonly ImportColumn Tag = new("tag", "asset tag", "asset");
    public static readonly ImportColumn Serial = new("serial", "serial number", "serial no", "sn");
    public static readonly ImportColumn Name = new("name", "asset name");
    public static readonly ImportColumn Model = new("model", "model name");
    public static readonly ImportColumn Status = new("status", "status label");
    public static readonly ImportColumn Location = new("location");
    public static readonly ImportColumn Supplier = new("supplier", "vendor");
    public static readonly ImportColumn PurchaseDate = new("purchase_date", "purchased", "purchased on", "date purchased");
    public static readonly ImportColumn Cost = new("cost", "purchase cost", "price");
    public static readonly ImportColumn Currency = new("currency");
    public static readonly ImportColumn OrderNumber = new("order_number", "order no", "po number", "purchase order");
    public static readonly ImportColumn WarrantyEnd = new("warranty_end", "warranty", "warranty expires", "warranty until");
    public static readonly ImportColumn Notes = new("notes", "note", "comments");

    public static readonly IReadOnlyList<ImportColumn> Columns =
        [Tag, Serial, Name, Model, Status, Location, Supplier, PurchaseDate, Cost, Currency, OrderNumber, WarrantyEnd, Notes];

    private readonly Dictionary<string, (Guid Id, bool Deleted)> _byTag = new(StringComparer.Ordinal);

    // Live assets by serial; null when several share it, which a tagless row then cannot pick from.
    private readonly Dictionary<string, Guid?> _bySerial = new(StringComparer.Ordinal);
    // Every tag of the file with the line it first appears on, from the count before the check (one entry per row of a large file).
    private readonly Dictionary<string, int> _fileTags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _serialLines = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, int> _assetLines = [];
    private readonly Dictionary<Guid, (string Name, Guid? SetId)> _models = [];
    private readonly Dictionary<Guid, IReadOnlyList<CustomField>> _setFields = [];
    private Dictionary<Guid, CustomField> _fields = [];
    private readonly NameLookup _modelNames = new();
    private NameLookup _statuses = new();
    private NameLookup _locations = new();
    private NameLookup _suppliers = new();
    private (string Prefix, long Next, int Digits, long Taken)? _sequence;

    public static async Task<IReadOnlyList<CustomField>> CustomFieldsAsync(WorkspaceDbContext db, CancellationToken cancellationToken) =>
        await db.Set<CustomField>().AsNoTracking().OrderBy(f => f.Name).ToListAsync(cancellationToken);

    public override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var models = await (
            from m in db.Set<AssetModel>()
            join c in db.Set<Category>() on m.CategoryId equals c.Id
            select new { m.Id, m.Name, SetId = m.FieldSetId ?? c.FieldSetId }).AsNoTracking().ToListAsync(cancellationToken);
        foreach (var model in models)
        {
            _models[model.Id] = (model.Name, model.SetId);
            _modelNames.Add(model.Name, model.Id);
        }

        _statuses = await NamesAsync(db.Set<StatusLabel>(), cancellationToken);
        _suppliers = await NamesAsync(db.Set<Supplier>(), cancellationToken);
        _locations = await LocationsAsync(db, cancellationToken);
        _fields = (await CustomFieldsAsync(db, cancellationToken)).ToDictionary(f => f.Id);
        foreach (var set in (await db.Set<CustomFieldSetMember>().AsNoTracking().ToListAsync(cancellationToken))
            .GroupBy(m => m.SetId))
        {
            _setFields[set.Key] = [.. set.OrderBy(m => m.Position).ThenBy(m => _fields[m.FieldId].Name, StringComparer.Ordinal).Select(m => _fields[m.FieldId])];
        }

        // Every tag and serial in one streamed read, so matching a row to its asset costs no query.
        await foreach (var asset in db.Set<Asset>().AsNoTracking()
            .Select(a => new { a.Id, a.Tag, a.Serial, Deleted = a.DeletedAt != null })
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            _byTag[asset.Tag] = (asset.Id, asset.Deleted);
            if (asset.Serial is { } serial && !asset.Deleted)
            {
                _bySerial[serial] = _bySerial.ContainsKey(serial) ? null : asset.Id;
            }
        }
    }

    /// <summary>Collects the file's tags, so that a number from the sequence never takes a tag a later row asks for.</summary>
    public override void Observe(ImportRow row)
    {
        if (Clean(header.Cell(row, Tag)) is { } tag)
        {
            _fileTags.TryAdd(tag, row.Line);
        }
    }

    public override async Task CheckAsync(IReadOnlyList<ImportRow> batch, ImportTally tally, bool apply, CancellationToken cancellationToken)
    {
        var matched = batch.Select(Match).ToList();
        var ids = matched.Where(m => m.Target is not null).Select(m => m.Target!.Value).ToList();
        var assets = apply ? db.Set<Asset>() : db.Set<Asset>().AsNoTracking();
        var values = apply ? db.Set<AssetFieldValue>() : db.Set<AssetFieldValue>().AsNoTracking();

        // A batch of new assets only (a first import) needs no query at all.
        var existing = ids.Count == 0 ? [] : await assets.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var custom = (ids.Count == 0 ? [] : await values.Where(v => ids.Contains(v.AssetId)).ToListAsync(cancellationToken)).ToLookup(v => v.AssetId);

        foreach (var (row, key, target, keyError) in matched)
        {
            var check = new InputCheck();
            if (keyError is not null)
            {
                check.Fail(keyError);
            }

            Asset? asset = null;
            if (target is { } id && !existing.TryGetValue(id, out asset))
            {
                check.Fail($"Asset {key} was deleted from the register while the import ran.");
            }

            var draft = Draft(row, asset, keyError is not null, check);
            var current = asset is null ? [] : custom[asset.Id].ToList();
            var customAfter = CustomValues(row, draft.ModelId, asset is null && keyError is null, current, check);
            if (check.Errors.Count > 0)
            {
                tally.Reject(row.Line, key, check.Errors);
                continue;
            }

            if (asset is null)
            {
                tally.Create();
                if (apply)
                {
                    await CreateAsync(draft, customAfter, cancellationToken);
                }
            }
            else if (Update(asset, draft, current, customAfter, apply))
            {
                tally.Update();
            }
        }
    }

    public override async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_sequence is { } sequence && sequence.Taken > 0)
        {
            await db.Set<AssetTagSequence>().Where(s => s.Id == AssetTagSequence.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextNumber, sequence.Next), cancellationToken);
        }
    }

    /// <summary>Which asset a row is about, from its tag or else its serial; a tag or serial twice in one file is an error on the later row.</summary>
    private (ImportRow Row, string? Key, Guid? Target, string? KeyError) Match(ImportRow row)
    {
        var tag = Clean(header.Cell(row, Tag));
        var serial = Clean(header.Cell(row, Serial));
        Guid? target = null;
        string? error = null;
        if (tag is not null)
        {
            if (_fileTags.TryGetValue(tag, out var first) && first != row.Line)
            {
                error = $"Asset tag {Quote(tag)} is also on line {first}.";
            }
            else if (_byTag.TryGetValue(tag, out var known))
            {
                if (known.Deleted)
                {
                    error = $"Asset {Quote(tag)} is deleted; restore it before importing over it (deleted assets keep their tags).";
                }
                else
                {
                    target = known.Id;
                }
            }
        }
        else if (serial is not null)
        {
            if (_serialLines.TryGetValue(serial, out var first))
            {
                error = $"Serial {Quote(serial)} is also on line {first} (a row without a tag is matched by its serial).";
            }
            else
            {
                _serialLines[serial] = row.Line;
                if (_bySerial.TryGetValue(serial, out var known))
                {
                    if (known is null)
                    {
                        error = $"Serial {Quote(serial)} belongs to more than one asset; give the asset tag to say which.";
                    }
                    else
                    {
                        target = known;
                    }
                }
            }
        }

        if (target is { } id && error is null)
        {
            if (_assetLines.TryGetValue(id, out var first))
            {
                error = $"Line {first} is about the same asset.";
                target = null;
            }
            else
            {
                _assetLines[id] = row.Line;
            }
        }

        return (row, tag ?? serial, error is null ? target : null, error);
    }

    private sealed record AssetDraft(
        string? Tag, string? Serial, string? Name, Guid ModelId, Guid StatusLabelId, Guid? LocationId, Guid? SupplierId,
        DateOnly? PurchaseDate, decimal? Cost, string? Currency, string? OrderNumber, DateOnly? WarrantyEnd, string? Notes);

    /// <summary>
    /// The asset's values after the row: each column the file has, checked as the form checks it; the existing
    /// value for each it lacks. A new asset needs a model and a status. <paramref name="unmatched"/>: the row's key
    /// was refused, so only its own fields are checked (it is neither a new asset nor an existing one).
    /// </summary>
    private AssetDraft Draft(ImportRow row, Asset? asset, bool unmatched, InputCheck check)
    {
        var tag = Clean(header.Cell(row, Tag));
        if (tag is not null && asset is null)
        {
            check.Text(tag, "Asset tag", AssetInput.MaxTagLength);
            if (tag.Any(char.IsControl))
            {
                check.Fail("Asset tag contains control characters.");
            }
        }

        var modelId = Required(row, Model, asset?.ModelId, _modelNames, "model", unmatched, check);
        var statusId = Required(row, Status, asset?.StatusLabelId, _statuses, "status label", unmatched, check);
        var location = header.Has(Location)
            ? Reference(_locations, Clean(header.Cell(row, Location)) is { } typed ? LocationPath(typed) : null, "location", check, LocationHint)
            : asset?.LocationId;
        var supplier = header.Has(Supplier) ? Reference(_suppliers, header.Cell(row, Supplier), "supplier", check) : asset?.SupplierId;

        var cost = asset?.Cost;
        var costReadable = true;
        if (header.Has(Cost))
        {
            (cost, costReadable) = Amount(header.Cell(row, Cost), check);
        }

        var currency = header.Has(Currency) ? header.Cell(row, Currency) : asset?.Currency;
        if (costReadable)
        {
            (cost, currency) = check.Money(cost, currency, "Cost");
        }
        else
        {
            // The currency is still checked (as for an amount of zero), so the row shows all its mistakes at once.
            check.Money(0m, currency, "Cost");
        }

        return new AssetDraft(
            tag,
            header.Has(Serial) ? check.Text(header.Cell(row, Serial), "Serial", 100) : asset?.Serial,
            header.Has(Name) ? check.Text(header.Cell(row, Name), "Name", 200) : asset?.Name,
            modelId ?? Guid.Empty,
            statusId ?? Guid.Empty,
            location,
            supplier,
            header.Has(PurchaseDate) ? check.Date(header.Cell(row, PurchaseDate), "Purchase date") : asset?.PurchaseDate,
            cost,
            currency,
            header.Has(OrderNumber) ? check.Text(header.Cell(row, OrderNumber), "Order number", 100) : asset?.OrderNumber,
            header.Has(WarrantyEnd) ? check.Date(header.Cell(row, WarrantyEnd), "Warranty end") : asset?.WarrantyEnd,
            header.Has(Notes) ? check.Text(header.Cell(row, Notes), "Notes", AssetInput.MaxNotesLength) : asset?.Notes);
    }

    private Guid? Required(ImportRow row, ImportColumn column, Guid? existing, NameLookup lookup, string noun, bool unmatched, InputCheck check)
    {
        var label = noun == "model" ? "Model" : "Status";
        if (!header.Has(column))
        {
            if (existing is null && !unmatched)
            {
                check.Fail($"{label} is required for a new asset, and the file has no {column.Name} column.");
            }

            return existing;
        }

        var typed = Clean(header.Cell(row, column));
        if (typed is null)
        {
            if (!unmatched)
            {
                check.Fail($"{label} is required.");
            }

            return null;
        }

        return Reference(lookup, typed, noun, check);
    }

    /// <summary>
    /// An amount as the API takes it: digits with a point for decimals. A comma is refused rather than guessed at,
    /// since "1,299" means a thousand in one country and one point three in another.
    /// </summary>
    private static (decimal? Amount, bool Readable) Amount(string? raw, InputCheck check)
    {
        if (Clean(raw) is not { } text)
        {
            return (null, true);
        }

        const NumberStyles Plain = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
        if (decimal.TryParse(text, Plain, CultureInfo.InvariantCulture, out var amount))
        {
            return (amount, true);
        }

        check.Fail($"Cost {Quote(text)} is not an amount: write digits with a point for decimals (for example 1299.50).");
        return (null, false);
    }

    /// <summary>
    /// The asset's custom values after the row, by field name: each custom column of the file, checked against the
    /// field set of the row's model (a value for a field that set lacks is an error); the current value of every field
    /// the file has no column for. A new asset must have its set's required fields.
    /// </summary>
    private Dictionary<string, string?> CustomValues(ImportRow row, Guid modelId, bool creating, List<AssetFieldValue> current, InputCheck check)
    {
        var after = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var value in current)
        {
            if (_fields.TryGetValue(value.FieldId, out var known))
            {
                after[known.Name] = value.Value;
            }
        }

        var set = _models.TryGetValue(modelId, out var model) && model.SetId is { } setId && _setFields.TryGetValue(setId, out var fields) ? fields : [];
        foreach (var (index, field) in header.Custom)
        {
            var raw = row.Cells[index];
            if (set.Any(f => f.Id == field.Id))
            {
                after[field.Name] = CustomFieldValues.Normalize(field, raw, check);
            }
            else if (!string.IsNullOrWhiteSpace(raw))
            {
                check.Fail(modelId == Guid.Empty
                    ? $"{field.Name} cannot be checked without the asset's model."
                    : $"{field.Name} is not a field of {model.Name} assets; leave it blank on this row.");
            }
        }

        if (creating)
        {
            foreach (var field in set.Where(f => header.Custom.All(c => c.Field.Id != f.Id)))
            {
                CustomFieldValues.Normalize(field, null, check);
            }
        }

        foreach (var cleared in after.Where(pair => pair.Value is null).Select(pair => pair.Key).ToList())
        {
            after.Remove(cleared);
        }

        return after;
    }

    private async Task CreateAsync(AssetDraft draft, Dictionary<string, string?> custom, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var asset = new Asset
        {
            Tag = draft.Tag ?? await NextTagAsync(cancellationToken),
            CreatedAt = now,
            UpdatedAt = now,
        };
        Copy(draft, asset);
        var (history, audit) = record.Entries(asset, AuditEventType.AssetCreated, "created", before: null, Detail(null), custom, actor);
        Added.Add(asset);
        foreach (var (name, value) in custom)
        {
            Added.Add(new AssetFieldValue { AssetId = asset.Id, FieldId = FieldNamed(name).Id, Value = value! });
        }

        Added.Add(history);
        Added.Add(audit);
    }

    /// <summary>Applies the row to an existing asset; false when it changes nothing (no version, timeline line or audit entry then).</summary>
    private bool Update(Asset asset, AssetDraft draft, List<AssetFieldValue> current, Dictionary<string, string?> customAfter, bool apply)
    {
        var customBefore = current.Where(v => _fields.ContainsKey(v.FieldId)).ToDictionary(v => _fields[v.FieldId].Name, v => (string?)v.Value, StringComparer.Ordinal);
        var before = AssetRecord.Snapshot(asset, customBefore);
        Copy(draft, asset);
        var changes = AssetRecord.Diff(before, AssetRecord.Snapshot(asset, customAfter));
        if (changes.Count == 0 || !apply)
        {
            return changes.Count > 0;
        }

        foreach (var field in _fields.Values.Where(f => customBefore.ContainsKey(f.Name) || customAfter.ContainsKey(f.Name)))
        {
            var stored = current.SingleOrDefault(v => v.FieldId == field.Id);
            var value = customAfter.GetValueOrDefault(field.Name);
            if (stored is not null && value is null)
            {
                db.Remove(stored);
            }
            else if (stored is not null)
            {
                stored.Value = value!;
            }
            else if (value is not null)
            {
                Added.Add(new AssetFieldValue { AssetId = asset.Id, FieldId = field.Id, Value = value });
            }
        }

        var (history, audit) = record.Entries(asset, AuditEventType.AssetUpdated, "updated", before, Detail(changes), customAfter, actor);
        Added.Add(history);
        Added.Add(audit);
        return true;
    }

    private static void Copy(AssetDraft draft, Asset asset)
    {
        asset.Serial = draft.Serial;
        asset.Name = draft.Name;
        asset.ModelId = draft.ModelId;
        asset.StatusLabelId = draft.StatusLabelId;
        asset.LocationId = draft.LocationId;
        asset.SupplierId = draft.SupplierId;
        asset.PurchaseDate = draft.PurchaseDate;
        // 1299.5 read back from numeric(18,4) is 1299.5000: the same amount, which must not count as a change.
        if (asset.Cost != draft.Cost)
        {
            asset.Cost = draft.Cost;
        }

        asset.Currency = draft.Currency;
        asset.OrderNumber = draft.OrderNumber;
        asset.WarrantyEnd = draft.WarrantyEnd;
        asset.Notes = draft.Notes;
    }

    private string Detail(List<FieldChange>? changes)
    {
        var detail = $"imported from {fileName}" + (changes is null ? string.Empty : ": " + string.Join(", ", changes.Select(c => c.Field)));
        return detail.Length <= 1000 ? detail : detail[..1000];
    }

    private CustomField FieldNamed(string name) => _fields.Values.First(f => f.Name == name);

    /// <summary>
    /// The next free number of the tag sequence. The sequence row is locked (an UPDATE in this transaction) the first
    /// time a row needs a number and written back once at the end, so numbers are taken as CreateAsset takes them,
    /// without a statement per row; concurrent creators wait for the commit.
    /// </summary>
    private async Task<string> NextTagAsync(CancellationToken cancellationToken)
    {
        if (_sequence is null)
        {
            await db.Set<AssetTagSequence>().Where(s => s.Id == AssetTagSequence.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextNumber, x => x.NextNumber), cancellationToken);
            var stored = await db.Set<AssetTagSequence>().AsNoTracking().SingleAsync(s => s.Id == AssetTagSequence.SingletonId, cancellationToken);
            _sequence = (stored.Prefix, stored.NextNumber, stored.Digits, 0);
        }

        var (prefix, next, digits, taken) = _sequence.Value;
        while (true)
        {
            var tag = prefix + next.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            next++;
            if (!_byTag.ContainsKey(tag) && !_fileTags.ContainsKey(tag))
            {
                _sequence = (prefix, next, digits, taken + 1);
                return tag;
            }
        }
    }
}
