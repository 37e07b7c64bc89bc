using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>The values a bulk edit sets on every selected asset; a blank one leaves that detail as each asset has it.</summary>
public sealed class BulkUpdateInput
{
    public List<Guid>? Ids { get; set; }

    /// <summary>Optional: the version each asset was selected at (its ETag's number); an asset changed since is refused.</summary>
    public Dictionary<Guid, long>? Versions { get; set; }

    public Guid? StatusLabelId { get; set; }

    /// <summary>
    /// Only between models whose assets have the same custom fields: a model with other fields would leave each asset
    /// with values nobody typed, or without values its new fields require, so such a change is refused per asset and
    /// made on the asset's own form instead.
    /// </summary>
    public Guid? ModelId { get; set; }

    public Guid? LocationId { get; set; }

    public Guid? SupplierId { get; set; }

    /// <summary>yyyy-mm-dd, today or later; only for assets that are checked out.</summary>
    public string? ExpectedCheckIn { get; set; }
}

/// <summary>
/// Sets the same status, model, location, supplier or expected check-in on several assets, all or nothing: every asset
/// gets its own timeline line and audit entry, and one asset that cannot take the change (deleted, changed since it
/// was selected, not checked out for an expected check-in, another field set for a model) stops them all.
/// </summary>
public sealed class BulkUpdateAssets(WorkspaceDbContext db, AssetRecord record, AssetQueries queries, TimeProvider time)
{
    public async Task<BulkResult> ExecuteAsync(BulkUpdateInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = BulkChange.Selected(input.Ids);
        var expected = await CheckAsync(input, cancellationToken);
        var assets = await BulkChange.LoadAsync(db, ids, input.Versions, cancellationToken);
        var modelRule = input.ModelId is { } modelId ? await ModelRuleAsync(assets, modelId, cancellationToken) : null;
        BulkChange.Check(
            assets,
            asset => AssetChanges.RefusalToChange(asset)
                ?? (expected is not null && !asset.IsCheckedOut
                    ? new AssetRefusal($"Asset {asset.Tag} is not checked out, so it has no expected check-in.", IsConflict: true)
                    : null)
                ?? modelRule?.Invoke(asset),
            ids.Count);

        foreach (var asset in assets)
        {
            var before = AssetRecord.Snapshot(asset);
            asset.StatusLabelId = input.StatusLabelId ?? asset.StatusLabelId;
            asset.ModelId = input.ModelId ?? asset.ModelId;
            asset.LocationId = input.LocationId ?? asset.LocationId;
            asset.SupplierId = input.SupplierId ?? asset.SupplierId;
            asset.ExpectedCheckIn = expected ?? asset.ExpectedCheckIn;
            var changes = AssetRecord.Diff(before, AssetRecord.Snapshot(asset));
            if (changes.Count > 0)
            {
                record.Changed(asset, AuditEventType.AssetUpdated, "updated", before, $"{string.Join(", ", changes.Select(c => c.Field))} {BulkChange.Note(ids.Count)}");
            }
        }

        await BulkChange.SaveAsync(db, ids.Count, cancellationToken);
        return new BulkResult(await queries.ListByIdsAsync(ids, cancellationToken));
    }

    /// <summary>Checks the values once for the whole selection; returns the expected check-in date.</summary>
    private async Task<DateOnly?> CheckAsync(BulkUpdateInput input, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var expected = CheckOutPlan.ExpectedCheckInDate(check, input.ExpectedCheckIn, time);
        if (input.StatusLabelId is null && input.ModelId is null && input.LocationId is null && input.SupplierId is null && expected is null
            && string.IsNullOrWhiteSpace(input.ExpectedCheckIn))
        {
            check.Fail("Choose at least one value to set: status, model, location, supplier or expected check-in.");
        }

        if (input.StatusLabelId is { } status && !await db.Set<StatusLabel>().AnyAsync(s => s.Id == status, cancellationToken))
        {
            check.Fail("This workspace has no status label with that id.", "Status");
        }

        if (input.ModelId is { } model && !await db.Set<AssetModel>().AnyAsync(m => m.Id == model, cancellationToken))
        {
            check.Fail("This workspace has no model with that id.", "Model");
        }

        if (input.LocationId is { } location && !await db.Set<Location>().AnyAsync(l => l.Id == location, cancellationToken))
        {
            check.Fail("This workspace has no location with that id.", "Location");
        }

        if (input.SupplierId is { } supplier && !await db.Set<Supplier>().AnyAsync(s => s.Id == supplier, cancellationToken))
        {
            check.Fail("This workspace has no supplier with that id.", "Supplier");
        }

        check.ThrowIfInvalid();
        return expected;
    }

    /// <summary>
    /// Refuses the assets whose current model has other custom fields than <paramref name="modelId"/>: the custom
    /// values belong to the fields, so moving an asset to a model with another set is made on its own edit form.
    /// </summary>
    private async Task<Func<Asset, AssetRefusal?>> ModelRuleAsync(List<Asset> assets, Guid modelId, CancellationToken cancellationToken)
    {
        var modelIds = assets.Select(a => a.ModelId).Append(modelId).Distinct().ToList();
        var names = await db.Set<AssetModel>().AsNoTracking().Where(m => modelIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, cancellationToken);
        var fields = new Dictionary<Guid, string>();
        foreach (var id in modelIds)
        {
            var set = await CustomFieldValues.FieldsForModelAsync(db, id, cancellationToken);
            fields[id] = string.Join(',', set.Select(f => f.Id.ToString()).Order(StringComparer.Ordinal));
        }

        return asset => asset.ModelId == modelId || fields[asset.ModelId] == fields[modelId]
            ? null
            : new AssetRefusal(
                $"Asset {asset.Tag} is a {names[asset.ModelId]}, whose custom fields differ from those of {names[modelId]}; change its model on its own edit page, where its custom values can be filled in.",
                IsConflict: true);
    }
}
