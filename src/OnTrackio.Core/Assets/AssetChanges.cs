using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>What every change to an existing asset does first and last: find it here, and save it only over the version it read.</summary>
internal static class AssetChanges
{
    public static async Task<Asset> LoadAsync(WorkspaceDbContext db, Guid id, long? expectedVersion, CancellationToken cancellationToken)
    {
        var asset = await db.Set<Asset>().SingleOrDefaultAsync(a => a.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no asset with that id.");
        if (expectedVersion is { } expected && expected != asset.Version)
        {
            throw Stale(asset.Tag);
        }

        return asset;
    }

    /// <summary>A deleted asset keeps its details as they were until it is restored.</summary>
    public static AssetRefusal? RefusalToChange(Asset asset) =>
        asset.DeletedAt is null ? null : new($"Asset {asset.Tag} is deleted; restore it before changing it.", IsConflict: false);

    /// <summary>
    /// Saves; the version is a concurrency token, so if someone saved between our read and this write, the UPDATE
    /// matches no row and nothing at all (change, timeline, audit entry) is written.
    /// </summary>
    public static async Task SaveAsync(WorkspaceDbContext db, Asset asset, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Stale(asset.Tag);
        }
        catch (DbUpdateException ex) when (Register.UniqueViolation.Is(ex))
        {
            throw new ConflictException($"Asset tag '{asset.Tag}' is already used by another asset.");
        }
    }

    private static StaleVersionException Stale(string tag) =>
        new($"Someone else changed asset {tag} since you loaded it. Reload it to see their change, then make yours again.");
}
