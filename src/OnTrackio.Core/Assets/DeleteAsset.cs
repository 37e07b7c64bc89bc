using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>
/// Soft-deletes an asset: it leaves the lists but keeps its tag, history and audit trail, and can be restored. A
/// checked-out asset is refused, so that nobody holds hardware the register no longer shows.
/// </summary>
public sealed class DeleteAsset(WorkspaceDbContext db, AssetRecord record, TimeProvider time)
{
    public async Task ExecuteAsync(Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion, cancellationToken);
        if (asset.DeletedAt is not null)
        {
            return;
        }

        if (asset.IsCheckedOut)
        {
            throw new OperationRefusedException($"Asset {asset.Tag} is checked out; check it in before deleting it.");
        }

        var before = AssetRecord.Snapshot(asset);
        asset.DeletedAt = time.GetUtcNow();
        record.Changed(asset, AuditEventType.AssetDeleted, "deleted", before, detail: "deleted");
        await AssetChanges.SaveAsync(db, asset, cancellationToken);
    }
}

/// <summary>Brings a soft-deleted asset back into the register, as it was.</summary>
public sealed class RestoreAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries)
{
    public async Task<AssetView> ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion: null, cancellationToken);
        if (asset.DeletedAt is not null)
        {
            var before = AssetRecord.Snapshot(asset);
            asset.DeletedAt = null;
            record.Changed(asset, AuditEventType.AssetRestored, "restored", before, detail: "restored");
            await AssetChanges.SaveAsync(db, asset, cancellationToken);
        }

        return await queries.GetAsync(id, cancellationToken);
    }
}
