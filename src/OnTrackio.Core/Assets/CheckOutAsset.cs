using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>To whom or what an asset goes: exactly one of a person, a location or another asset.</summary>
public sealed class CheckOutInput
{
    public Guid? PersonId { get; set; }

    public Guid? LocationId { get; set; }

    public Guid? AssetId { get; set; }

    /// <summary>yyyy-mm-dd, today or later; optional.</summary>
    public string? ExpectedCheckIn { get; set; }

    public string? Note { get; set; }
}

/// <summary>
/// Hands an asset out. Only a live, deployable asset that nobody holds can go: a pending, archived or broken one
/// cannot, and one already out must be checked in first, so an asset is never in two hands.
/// </summary>
public sealed class CheckOutAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries, TimeProvider time)
{
    public async Task<AssetView> ExecuteAsync(Guid id, CheckOutInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion: null, cancellationToken);
        var check = new InputCheck();
        var expected = check.Date(input.ExpectedCheckIn, "Expected check-in");
        var note = check.Text(input.Note, "Note", 500);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (expected < today)
        {
            check.Fail("Expected check-in cannot be in the past.");
        }

        var targets = new[] { input.PersonId, input.LocationId, input.AssetId }.Count(t => t is not null);
        if (targets != 1)
        {
            check.Fail("Check out to exactly one person, location or asset.");
        }

        check.ThrowIfInvalid();
        if (asset.DeletedAt is not null)
        {
            throw new OperationRefusedException($"Asset {asset.Tag} is deleted; restore it before checking it out.");
        }

        if (asset.IsCheckedOut)
        {
            throw new ConflictException($"Asset {asset.Tag} is already checked out; check it in first.");
        }

        var status = await db.Set<StatusLabel>().SingleAsync(s => s.Id == asset.StatusLabelId, cancellationToken);
        if (status.Kind != StatusKind.Deployable)
        {
            throw new OperationRefusedException($"Asset {asset.Tag} is '{status.Name}', which is not deployable; only a deployable asset can be checked out.");
        }

        var to = await TargetNameAsync(asset, input, cancellationToken);
        var before = AssetRecord.Snapshot(asset);
        asset.AssignedPersonId = input.PersonId;
        asset.AssignedLocationId = input.LocationId;
        asset.AssignedAssetId = input.AssetId;
        asset.CheckedOutAt = time.GetUtcNow();
        asset.ExpectedCheckIn = expected;
        var detail = $"to {to}"
            + (expected is { } back ? $", back by {back.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : string.Empty)
            + (note is null ? string.Empty : $": {note}");
        record.Changed(asset, AuditEventType.AssetCheckedOut, "checked out", before, detail);
        await AssetChanges.SaveAsync(db, asset, cancellationToken);
        return await queries.GetAsync(id, cancellationToken);
    }

    private async Task<string> TargetNameAsync(Asset asset, CheckOutInput input, CancellationToken cancellationToken)
    {
        if (input.PersonId is { } personId)
        {
            return await db.Set<Person>().Where(p => p.Id == personId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw new OperationRefusedException("This workspace has no person with that id.");
        }

        if (input.LocationId is { } locationId)
        {
            return await db.Set<Location>().Where(l => l.Id == locationId).Select(l => l.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw new OperationRefusedException("This workspace has no location with that id.");
        }

        var parentId = input.AssetId!.Value;
        if (parentId == asset.Id)
        {
            throw new OperationRefusedException("An asset cannot be checked out to itself.");
        }

        var parent = await db.Set<Asset>().Where(a => a.Id == parentId && a.DeletedAt == null).Select(a => new { a.Tag, a.AssignedAssetId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new OperationRefusedException("This workspace has no asset with that id to check out to.");
        if (parent.AssignedAssetId == asset.Id)
        {
            throw new OperationRefusedException($"Asset {parent.Tag} is checked out to this asset; an asset cannot hold its own holder.");
        }

        return parent.Tag;
    }
}

/// <summary>Takes a checked-out asset back.</summary>
public sealed class CheckInAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries)
{
    public async Task<AssetView> ExecuteAsync(Guid id, string? note, CancellationToken cancellationToken)
    {
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion: null, cancellationToken);
        var check = new InputCheck();
        note = check.Text(note, "Note", 500);
        check.ThrowIfInvalid();
        if (!asset.IsCheckedOut)
        {
            throw new ConflictException($"Asset {asset.Tag} is not checked out.");
        }

        var before = AssetRecord.Snapshot(asset);
        asset.AssignedPersonId = null;
        asset.AssignedLocationId = null;
        asset.AssignedAssetId = null;
        asset.CheckedOutAt = null;
        asset.ExpectedCheckIn = null;
        record.Changed(asset, AuditEventType.AssetCheckedIn, "checked in", before, note);
        await AssetChanges.SaveAsync(db, asset, cancellationToken);
        return await queries.GetAsync(id, cancellationToken);
    }
}
