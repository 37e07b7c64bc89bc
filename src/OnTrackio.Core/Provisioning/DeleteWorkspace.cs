using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;

namespace OnTrackio.Provisioning;

/// <summary>
/// Deletes a workspace: stops routing to it, drops its database, then removes its catalog rows. If the drop fails the
/// workspace stays in <see cref="WorkspaceStatus.Deleting"/> (unrouted) and running the command again finishes it.
/// </summary>
public sealed partial class DeleteWorkspace(
    IDatabaseEngine engine, CatalogDbContext catalog, WorkspaceDirectory directory, WorkspaceKeys keys, ILogger<DeleteWorkspace> logger)
{
    public async Task ExecuteAsync(string slug, CancellationToken cancellationToken)
    {
        var workspace = await catalog.Workspaces.SingleOrDefaultAsync(w => w.Slug == slug, cancellationToken)
            ?? throw new OperationRefusedException($"No workspace has the slug '{slug}'.");
        var server = await catalog.DatabaseServers.AsNoTracking().SingleAsync(s => s.Id == workspace.ServerId, cancellationToken);

        await using (var transaction = await catalog.Database.BeginTransactionAsync(cancellationToken))
        {
            // Crypto-erasure first: without its data keys, the workspace's encrypted fields are unreadable in the
            // database, in any copy of it and in every backup, even if the drop below fails.
            var versions = await catalog.WorkspaceKeys.Where(k => k.WorkspaceId == workspace.Id).Select(k => k.Version).ToListAsync(cancellationToken);
            await catalog.WorkspaceKeys.Where(k => k.WorkspaceId == workspace.Id).ExecuteDeleteAsync(cancellationToken);
            keys.Forget(workspace.Id, versions);
            workspace.Status = WorkspaceStatus.Deleting;
            await catalog.SaveChangesAsync(cancellationToken);
            await RoutingChanges.BumpAsync(catalog, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Invalidate();
        await engine.DropWorkspaceDatabaseAsync(WorkspaceLocation.Of(workspace, server), cancellationToken);

        await using (var transaction = await catalog.Database.BeginTransactionAsync(cancellationToken))
        {
            await catalog.Domains.Where(d => d.WorkspaceId == workspace.Id).ExecuteDeleteAsync(cancellationToken);
            await catalog.Workspaces.Where(w => w.Id == workspace.Id).ExecuteDeleteAsync(cancellationToken);
            await RoutingChanges.BumpAsync(catalog, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        directory.Invalidate();
        LogDeleted(logger, slug, workspace.DatabaseName);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {Slug} deleted; database {Database} dropped")]
    private static partial void LogDeleted(ILogger logger, string slug, string database);
}
