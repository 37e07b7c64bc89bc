using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.Databases;

namespace OnTrackio.Upgrades;

/// <summary>The embedded engine registers its single built-in "server" (its data folder) in the default region.</summary>
internal static class EmbeddedServer
{
    public static async Task EnsureAsync(IDatabaseEngine engine, CatalogDbContext catalog, CancellationToken cancellationToken)
    {
        if (engine.Kind != DatabaseEngineKind.Sqlite
            || await catalog.DatabaseServers.AnyAsync(s => s.Name == DatabaseServer.EmbeddedName, cancellationToken))
        {
            return;
        }

        catalog.DatabaseServers.Add(new DatabaseServer
        {
            Id = Guid.CreateVersion7(),
            Name = DatabaseServer.EmbeddedName,
            RegionId = CatalogDbContext.DefaultRegionId,
            Host = "(embedded)",
            Port = 0,
            Username = "(none)",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await catalog.SaveChangesAsync(cancellationToken);
    }
}
