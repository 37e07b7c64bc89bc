using OnTrackio.Audit;
using OnTrackio.CustomFields;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>Replaces an asset's details, only over the version the editor saw (If-Match, or the form's hidden version).</summary>
public sealed class UpdateAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries)
{
    public async Task<AssetView> ExecuteAsync(Guid id, long expectedVersion, AssetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion, cancellationToken);
        if (AssetChanges.RefusalToChange(asset) is { } refusal)
        {
            throw refusal.ToException();
        }

        var stored = await AssetCustomValues.LoadAsync(db, id, cancellationToken);
        var storedValues = stored.ToDictionary(v => v.FieldId, v => v.Value);
        var names = await AssetCustomValues.NamesAsync(db, cancellationToken);
        var before = AssetRecord.Snapshot(asset, AssetCustomValues.ByName(storedValues, names));
        var custom = await input.ApplyToAsync(asset, db, tagRequired: true, storedValues, cancellationToken);
        var customAfter = AssetCustomValues.ByName(custom, names);
        if (AssetRecord.Diff(before, AssetRecord.Snapshot(asset, customAfter)).Count > 0)
        {
            // The asset's row is saved first, so its version check (and on PostgreSQL its row lock) turns away a
            // concurrent editor before either writes a value; the values then commit in the same transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            record.Changed(asset, AuditEventType.AssetUpdated, "updated", before, customAfter: customAfter);
            await AssetChanges.SaveAsync(db, asset, cancellationToken);
            AssetCustomValues.Write(db, asset.Id, stored, custom);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return await queries.GetAsync(id, cancellationToken);
    }
}
