using OnTrackio.Catalog;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Databases;

/// <summary>
/// The seam between the platform and a database engine (PostgreSQL in production, SQLite embedded). Both engines
/// keep the same model: a catalog, a migrated template per server, and one database per workspace copied from it.
/// </summary>
public interface IDatabaseEngine
{
    DatabaseEngineKind Kind { get; }

    /// <summary>The last workspace migration this build knows; a workspace recorded at another version is not served.</summary>
    string CurrentWorkspaceSchemaVersion { get; }

    CatalogDbContext CreateCatalogContext();

    /// <summary>Opens the context of one workspace's database. The caller owns (and disposes) it.</summary>
    WorkspaceDbContext CreateWorkspaceContext(WorkspaceLocation location);

    Task MigrateCatalogAsync(CancellationToken cancellationToken);

    /// <summary>Creates the server's template database if missing and migrates it to the current schema.</summary>
    Task PrepareTemplateAsync(DatabaseServer server, CancellationToken cancellationToken);

    /// <summary>Whether the server's template exists at <see cref="CurrentWorkspaceSchemaVersion"/>.</summary>
    Task<bool> IsTemplateCurrentAsync(DatabaseServer server, CancellationToken cancellationToken);

    /// <summary>Creates a workspace database as a copy of the server's template.</summary>
    Task CreateWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken);

    Task<bool> WorkspaceDatabaseExistsAsync(WorkspaceLocation location, CancellationToken cancellationToken);

    /// <summary>Drops a workspace database, closing this process's connections to it first. Missing is not an error.</summary>
    Task DropWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken);

    /// <summary>Connects to a server as the platform would, throwing a readable error when it cannot.</summary>
    Task CheckServerAsync(DatabaseServer server, CancellationToken cancellationToken);
}
