using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.Tenancy;

namespace OnTrackio.Domains;

/// <summary>Removes a custom hostname; it stops routing on every host within the routing check interval.</summary>
public sealed class RemoveDomain(CatalogDbContext catalog, WorkspaceDirectory directory)
{
    public async Task ExecuteAsync(string? hostname, CancellationToken cancellationToken)
    {
        if (!HostName.TryNormalize(hostname, out var normalized))
        {
            throw new OperationRefusedException($"'{hostname}' is not a valid hostname.");
        }

        var domain = await catalog.Domains.SingleOrDefaultAsync(d => d.Hostname == normalized, cancellationToken)
            ?? throw new OperationRefusedException($"The hostname '{normalized}' is not registered.");
        if (domain.IsPrimary)
        {
            throw new OperationRefusedException($"'{normalized}' is the workspace's platform address and cannot be removed; delete the workspace instead.");
        }

        await using var transaction = await catalog.Database.BeginTransactionAsync(cancellationToken);
        catalog.Domains.Remove(domain);
        await catalog.SaveChangesAsync(cancellationToken);
        await RoutingChanges.BumpAsync(catalog, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.Invalidate();
    }
}
