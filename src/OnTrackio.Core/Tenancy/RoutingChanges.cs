using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;

namespace OnTrackio.Tenancy;

/// <summary>The catalog's routing counter: bumped in the same transaction as any change to what a hostname resolves to.</summary>
public static class RoutingChanges
{
    public static Task BumpAsync(CatalogDbContext catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ChangeCounters
            .Where(c => c.Name == ChangeCounter.Routing)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.Value, c => c.Value + 1), cancellationToken);
    }

    public static Task<long> ReadAsync(CatalogDbContext catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ChangeCounters.Where(c => c.Name == ChangeCounter.Routing).Select(c => c.Value).SingleAsync(cancellationToken);
    }
}
