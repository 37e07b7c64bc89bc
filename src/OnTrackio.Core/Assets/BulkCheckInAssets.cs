using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>A check-in of several assets.</summary>
public sealed class BulkCheckInInput
{
    public List<Guid>? Ids { get; set; }

    /// <summary>Optional: the version each asset was selected at (its ETag's number); an asset changed since is refused.</summary>
    public Dictionary<Guid, long>? Versions { get; set; }

    public string? Note { get; set; }
}

/// <summary>Takes several assets back under the single check-in's rules, all or nothing: if any is not checked out, none is taken back.</summary>
public sealed class BulkCheckInAssets(WorkspaceDbContext db, AssetRecord record, AssetQueries queries)
{
    public async Task<BulkResult> ExecuteAsync(BulkCheckInInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ids = BulkChange.Selected(input.Ids);
        var note = CheckIn.Note(input.Note);
        var assets = await BulkChange.LoadAsync(db, ids, input.Versions, cancellationToken);
        BulkChange.Check(assets, CheckIn.RefusalFor, ids.Count);

        foreach (var asset in assets)
        {
            var before = AssetRecord.Snapshot(asset);
            CheckIn.Apply(asset);
            record.Changed(asset, AuditEventType.AssetCheckedIn, "checked in", before, note is null ? BulkChange.Note(ids.Count) : $"{note} {BulkChange.Note(ids.Count)}");
        }

        await BulkChange.SaveAsync(db, ids.Count, cancellationToken);
        return new BulkResult(await queries.ListByIdsAsync(ids, cancellationToken));
    }
}
