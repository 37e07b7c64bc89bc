using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;

namespace OnTrackio.Provisioning;

/// <summary>New workspaces go to the least-loaded server of their own region, never to another region's.</summary>
public static class ServerPlacement
{
    public static async Task<DatabaseServer> ChooseAsync(CatalogDbContext catalog, string regionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var candidates = await catalog.DatabaseServers
            .Where(s => s.RegionId == regionId)
            .Select(s => new { Server = s, Load = catalog.Workspaces.Count(w => w.ServerId == s.Id) })
            .ToListAsync(cancellationToken);

        return candidates.OrderBy(c => c.Load).ThenBy(c => c.Server.Name, StringComparer.Ordinal).FirstOrDefault()?.Server
            ?? throw new OperationRefusedException(
                $"Region '{regionId}' has no database server. Register one with `ontrackio server add --region {regionId} …`.");
    }

    public static async Task<Region> RegionAsync(CatalogDbContext catalog, string? regionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var region = await catalog.Regions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == regionId, cancellationToken);
        if (region is null)
        {
            var known = await catalog.Regions.Select(r => r.Id).ToListAsync(cancellationToken);
            throw new OperationRefusedException($"Unknown region '{regionId}'. Known regions: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
        }

        return region;
    }
}
