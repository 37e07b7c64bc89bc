using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>To whom or what an asset goes: exactly one of a person, a location or another asset.</summary>
public class CheckOutInput
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
        var plan = await CheckOutPlan.PrepareAsync(db, input, time, cancellationToken);
        var status = await db.Set<StatusLabel>().SingleAsync(s => s.Id == asset.StatusLabelId, cancellationToken);
        if (plan.RefusalFor(asset, status) is { } refusal)
        {
            throw refusal.ToException();
        }

        var before = AssetRecord.Snapshot(asset);
        var detail = plan.Apply(asset, time.GetUtcNow());
        record.Changed(asset, AuditEventType.AssetCheckedOut, "checked out", before, detail);
        await AssetChanges.SaveAsync(db, asset, cancellationToken);
        return await queries.GetAsync(id, cancellationToken);
    }
}

/// <summary>Why one asset cannot take a change: a reason for a person, and whether it is a collision with the asset's state (409) rather than a refusal (400).</summary>
public sealed record AssetRefusal(string Reason, bool IsConflict)
{
    public Exception ToException() => IsConflict ? new ConflictException(Reason) : new OperationRefusedException(Reason);
}

/// <summary>
/// A check-out request checked once, however many assets it then applies to: the date, the note and the target, so
/// one asset and a bulk check-out of five hundred follow the same rules with the same messages.
/// </summary>
internal sealed class CheckOutPlan
{
    /// <summary>When the target is an asset: the asset that holds it, if any (an asset cannot hold its own holder).</summary>
    private readonly Guid? _targetHeldBy;

    private CheckOutPlan(CheckOutInput input, DateOnly? expected, string? note, string targetName, Guid? targetHeldBy = null)
    {
        (Input, ExpectedCheckIn, Note, TargetName, _targetHeldBy) = (input, expected, note, targetName, targetHeldBy);
    }

    public CheckOutInput Input { get; }

    public DateOnly? ExpectedCheckIn { get; }

    public string? Note { get; }

    public string TargetName { get; }

    public static async Task<CheckOutPlan> PrepareAsync(WorkspaceDbContext db, CheckOutInput input, TimeProvider time, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var expected = ExpectedCheckInDate(check, input.ExpectedCheckIn, time);
        var note = check.Text(input.Note, "Note", 500);

        var targets = new[] { input.PersonId, input.LocationId, input.AssetId }.Count(t => t is not null);
        if (targets != 1)
        {
            check.Fail("Check out to exactly one person, location or asset.");
        }

        check.ThrowIfInvalid();
        if (input.PersonId is { } personId)
        {
            var person = await db.Set<Person>().Where(p => p.Id == personId).Select(p => p.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw new OperationRefusedException("This workspace has no person with that id.");
            return new CheckOutPlan(input, expected, note, person);
        }

        if (input.LocationId is { } locationId)
        {
            var location = await db.Set<Location>().Where(l => l.Id == locationId).Select(l => l.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw new OperationRefusedException("This workspace has no location with that id.");
            return new CheckOutPlan(input, expected, note, location);
        }

        var parentId = input.AssetId!.Value;
        var parent = await db.Set<Asset>().Where(a => a.Id == parentId && a.DeletedAt == null).Select(a => new { a.Tag, a.AssignedAssetId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new OperationRefusedException("This workspace has no asset with that id to check out to.");
        return new CheckOutPlan(input, expected, note, parent.Tag, parent.AssignedAssetId);
    }

    /// <summary>An expected check-in date: yyyy-mm-dd, today or later, or null when blank.</summary>
    public static DateOnly? ExpectedCheckInDate(InputCheck check, string? value, TimeProvider time)
    {
        var expected = check.Date(value, "Expected check-in");
        if (expected < DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            check.Fail("Expected check-in cannot be in the past.", "Expected check-in");
        }

        return expected;
    }

    /// <summary>Why <paramref name="asset"/> (whose status is <paramref name="status"/>) cannot go out under this plan, or null when it can.</summary>
    public AssetRefusal? RefusalFor(Asset asset, StatusLabel status)
    {
        if (asset.DeletedAt is not null)
        {
            return new($"Asset {asset.Tag} is deleted; restore it before checking it out.", IsConflict: false);
        }

        if (asset.IsCheckedOut)
        {
            return new($"Asset {asset.Tag} is already checked out; check it in first.", IsConflict: true);
        }

        if (status.Kind != StatusKind.Deployable)
        {
            return new($"Asset {asset.Tag} is '{status.Name}', which is not deployable; only a deployable asset can be checked out.", IsConflict: false);
        }

        if (Input.AssetId == asset.Id)
        {
            return new("An asset cannot be checked out to itself.", IsConflict: false);
        }

        if (Input.AssetId is not null && _targetHeldBy == asset.Id)
        {
            return new($"Asset {TargetName} is checked out to this asset; an asset cannot hold its own holder.", IsConflict: false);
        }

        return null;
    }

    /// <summary>Hands <paramref name="asset"/> out and returns its timeline line ("to Ada Lovelace, back by 2026-03-01: note").</summary>
    public string Apply(Asset asset, DateTimeOffset now)
    {
        asset.AssignedPersonId = Input.PersonId;
        asset.AssignedLocationId = Input.LocationId;
        asset.AssignedAssetId = Input.AssetId;
        asset.CheckedOutAt = now;
        asset.ExpectedCheckIn = ExpectedCheckIn;
        return $"to {TargetName}"
            + (ExpectedCheckIn is { } back ? $", back by {back.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : string.Empty)
            + (Note is null ? string.Empty : $": {Note}");
    }
}

/// <summary>Takes a checked-out asset back.</summary>
public sealed class CheckInAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries)
{
    public async Task<AssetView> ExecuteAsync(Guid id, string? note, CancellationToken cancellationToken)
    {
        var asset = await AssetChanges.LoadAsync(db, id, expectedVersion: null, cancellationToken);
        note = CheckIn.Note(note);
        if (CheckIn.RefusalFor(asset) is { } refusal)
        {
            throw refusal.ToException();
        }

        var before = AssetRecord.Snapshot(asset);
        CheckIn.Apply(asset);
        record.Changed(asset, AuditEventType.AssetCheckedIn, "checked in", before, note);
        await AssetChanges.SaveAsync(db, asset, cancellationToken);
        return await queries.GetAsync(id, cancellationToken);
    }
}

/// <summary>The rules of a check-in, shared by one asset and a bulk check-in.</summary>
internal static class CheckIn
{
    /// <summary>The trimmed note, or a refusal (400) when it is too long.</summary>
    public static string? Note(string? note)
    {
        var check = new InputCheck();
        note = check.Text(note, "Note", 500);
        check.ThrowIfInvalid();
        return note;
    }

    public static AssetRefusal? RefusalFor(Asset asset) =>
        asset.IsCheckedOut ? null : new($"Asset {asset.Tag} is not checked out.", IsConflict: true);

    public static void Apply(Asset asset)
    {
        asset.AssignedPersonId = null;
        asset.AssignedLocationId = null;
        asset.AssignedAssetId = null;
        asset.CheckedOutAt = null;
        asset.ExpectedCheckIn = null;
    }
}
