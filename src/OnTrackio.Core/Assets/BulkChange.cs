using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>One asset a bulk change could not apply to, and why; <see cref="Tag"/> is null for an id this workspace does not have.</summary>
public sealed record BulkFailure(Guid Id, string? Tag, string Reason);

/// <summary>The assets as they are after a bulk change, in tag order.</summary>
public sealed record BulkResult(IReadOnlyList<AssetView> Items);

/// <summary>
/// A bulk change refused because some selected assets cannot take it; nothing was written. The API answers 400 when
/// the selection names assets this workspace does not have (as a single asset's 404 would), else 409, listing every
/// failing asset in the problem's <c>errors</c>.
/// </summary>
public sealed class BulkRefusedException(string message, IReadOnlyList<BulkFailure> failures) : Exception(message)
{
    public IReadOnlyList<BulkFailure> Failures => failures;

    public bool NamesUnknownAssets => failures.Any(f => f.Tag is null);
}

/// <summary>
/// What every bulk change does around its own rule: check the selection, load it, refuse it whole if any asset cannot
/// take the change (listing them all), and save every asset in one transaction, so a bulk change is all or nothing.
/// </summary>
public static class BulkChange
{
    /// <summary>Most assets one request changes: enough for a delivery or a department's laptops, small enough for one transaction.</summary>
    public const int MaxAssets = 500;

    /// <summary>The distinct ids selected, or a refusal when there are none or too many.</summary>
    internal static List<Guid> Selected(IEnumerable<Guid>? ids)
    {
        var selected = (ids ?? []).Distinct().ToList();
        if (selected.Count == 0)
        {
            throw new OperationRefusedException("Select at least one asset.");
        }

        if (selected.Count > MaxAssets)
        {
            throw new OperationRefusedException(
                $"Select at most {MaxAssets} assets for one bulk change; {selected.Count} were selected. Narrow the list with its filters, or change them in several parts.");
        }

        return selected;
    }

    /// <summary>
    /// Loads the selected assets (tracked) and refuses the whole change, naming every failing asset, when an id is not
    /// in this workspace or an asset changed since the version it was selected at.
    /// </summary>
    internal static async Task<List<Asset>> LoadAsync(
        WorkspaceDbContext db, List<Guid> ids, IReadOnlyDictionary<Guid, long>? versions, CancellationToken cancellationToken)
    {
        var assets = await db.Set<Asset>().Where(a => ids.Contains(a.Id)).ToListAsync(cancellationToken);
        var found = assets.Select(a => a.Id).ToHashSet();

        // Ids of another workspace are simply not in this database: reported exactly like ids that never existed.
        var failures = ids.Where(id => !found.Contains(id))
            .Select(id => new BulkFailure(id, null, "This workspace has no asset with that id.")).ToList();
        failures.AddRange(
            from asset in assets
            where versions is not null && versions.TryGetValue(asset.Id, out var seen) && seen != asset.Version
            select new BulkFailure(asset.Id, asset.Tag, $"Someone else changed asset {asset.Tag} since you selected it; reload it to see their change."));
        ThrowIfAny(failures, ids.Count);
        return [.. assets.OrderBy(a => a.Tag, StringComparer.Ordinal)];
    }

    /// <summary>Refuses the whole change when any asset's own rule refuses it (every such asset is named).</summary>
    internal static void Check(IEnumerable<Asset> assets, Func<Asset, AssetRefusal?> rule, int selected)
    {
        ThrowIfAny(
            [.. from asset in assets let refusal = rule(asset) where refusal is not null select new BulkFailure(asset.Id, asset.Tag, refusal.Reason)],
            selected);
    }

    /// <summary>
    /// One SaveChanges: one transaction for every asset, timeline line and audit entry. Each asset's version is a
    /// concurrency token, so an asset changed by someone else after it was loaded fails the whole save.
    /// </summary>
    internal static async Task SaveAsync(WorkspaceDbContext db, int selected, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            ThrowIfAny(
                [.. ex.Entries.Select(e => e.Entity).OfType<Asset>()
                    .Select(a => new BulkFailure(a.Id, a.Tag, $"Someone else changed asset {a.Tag} while this change ran; reload it to see their change."))],
                selected);
            throw;
        }
    }

    /// <summary>The timeline's note that a line came from a bulk change.</summary>
    internal static string Note(int count) => $"(bulk change of {count} asset{(count == 1 ? string.Empty : "s")})";

    private static void ThrowIfAny(List<BulkFailure> failures, int selected)
    {
        if (failures.Count > 0)
        {
            throw new BulkRefusedException(
                $"{failures.Count} of the {selected} selected assets cannot take this change, so nothing was changed. Each is listed with its reason.",
                failures);
        }
    }
}
