using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>A check-out of several assets to one person, location or asset.</summary>
public sealed class BulkCheckOutInput : CheckOutInput
{
    public List<Guid>? Ids { get; set; }

    /// <summary>Optional: the version each asset was selected at (its ETag's number); an asset changed since is refused.</summary>
    public Dictionary<Guid, long>? Versions { get; set; }
}

/// <summary>
/// Hands several assets to the same holder under the single check-out's rules (<see cref="CheckOutPlan"/>), all or
/// nothing: if any asset is deleted, not deployable or already out, none goes and every refusal is listed.
/// </summary>
public sealed class BulkCheckOutAssets(WorkspaceDbContext db, AssetRecord record, AssetQueries queries, TimeProvider time)
{
    public async Task<BulkResult> ExecuteAsync(BulkCheckOutInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = BulkChange.Selected(input.Ids);
        var plan = await CheckOutPlan.PrepareAsync(db, input, time, cancellationToken);
        var assets = await BulkChange.LoadAsync(db, ids, input.Versions, cancellationToken);
        var statusIds = assets.Select(a => a.StatusLabelId).Distinct().ToList();
        var statuses = await db.Set<StatusLabel>().AsNoTracking().Where(s => statusIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        BulkChange.Check(assets, asset => plan.RefusalFor(asset, statuses[asset.StatusLabelId]), ids.Count);

        var now = time.GetUtcNow();
        foreach (var asset in assets)
        {
            var before = AssetRecord.Snapshot(asset);
            var detail = plan.Apply(asset, now);
            record.Changed(asset, AuditEventType.AssetCheckedOut, "checked out", before, $"{detail} {BulkChange.Note(ids.Count)}");
        }

        await BulkChange.SaveAsync(db, ids.Count, cancellationToken);
        return new BulkResult(await queries.ListByIdsAsync(ids, cancellationToken));
    }
}
