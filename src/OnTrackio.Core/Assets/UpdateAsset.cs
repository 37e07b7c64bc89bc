using OnTrackio.Audit;
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

        var before = AssetRecord.Snapshot(asset);
        await input.ApplyToAsync(asset, db, tagRequired: true, cancellationToken);
        if (AssetRecord.Diff(before, AssetRecord.Snapshot(asset)).Count > 0)
        {
            record.Changed(asset, AuditEventType.AssetUpdated, "updated", before);
            await AssetChanges.SaveAsync(db, asset, cancellationToken);
        }

        return await queries.GetAsync(id, cancellationToken);
    }
}
