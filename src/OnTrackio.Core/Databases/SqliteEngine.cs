using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Databases;

/// <summary>
/// The embedded default: <c>catalog.db</c>, a migrated <c>template.db</c>, and <c>workspaces/&lt;name&gt;.db</c> per
/// workspace, all under one data folder. There is one built-in server; SQLite has no server to add or budget.
/// </summary>
internal sealed class SqliteEngine : IDatabaseEngine
{
    private readonly string _directory;
    private readonly DbContextOptions<SqliteCatalogDbContext> _catalogOptions;

    public SqliteEngine(IOptions<SqliteEngineOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = options.Value.ResolvedDataDirectory;
        _catalogOptions = new DbContextOptionsBuilder<SqliteCatalogDbContext>()
            .UseSqlite(ConnectionString(Path.Combine(_directory, "catalog.db"), pooling: true))
            .Options;
        using var design = new SqliteWorkspaceDbContext(new DbContextOptionsBuilder<SqliteWorkspaceDbContext>().UseSqlite().Options);
        CurrentWorkspaceSchemaVersion = design.Database.GetMigrations().Last();
    }

    public DatabaseEngineKind Kind => DatabaseEngineKind.Sqlite;

    public string CurrentWorkspaceSchemaVersion { get; }

    private string TemplatePath => Path.Combine(_directory, "template.db");

    public CatalogDbContext CreateCatalogContext() => new SqliteCatalogDbContext(_catalogOptions);

    public WorkspaceDbContext CreateWorkspaceContext(WorkspaceLocation location)
    {
        var options = new DbContextOptionsBuilder<SqliteWorkspaceDbContext>()
            // ReadWrite, not ReadWriteCreate: a missing workspace file is an error, never a new empty database.
            .UseSqlite(ConnectionString(PathOf(location), pooling: true, SqliteOpenMode.ReadWrite))
            .Options;
        return new SqliteWorkspaceDbContext(options) { Location = location };
    }

    public async Task MigrateCatalogAsync(CancellationToken cancellationToken)
    {
        // Owner-only: the folder holds every workspace's data and the embedded master key.
        OwnerOnly.CreateDirectory(_directory);
        OwnerOnly.CreateDirectory(Path.Combine(_directory, "workspaces"));

        await using var catalog = CreateCatalogContext();
        await catalog.Database.MigrateAsync(cancellationToken);

        // Several hosts and the CLI share the catalog file; WAL lets readers work while one writes.
        await catalog.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public async Task PrepareTemplateAsync(DatabaseServer server, CancellationToken cancellationToken)
    {
        await using var template = OpenTemplate();
        await template.Database.MigrateAsync(cancellationToken);
    }

    public async Task<bool> IsTemplateCurrentAsync(DatabaseServer server, CancellationToken cancellationToken)
    {
        if (!File.Exists(TemplatePath))
        {
            return false;
        }

        await using var template = OpenTemplate();
        var applied = await template.Database.GetAppliedMigrationsAsync(cancellationToken);
        return applied.LastOrDefault() == CurrentWorkspaceSchemaVersion;
    }

    public async Task CreateWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        var target = PathOf(location);
        var partial = target + ".partial";
        await using (var source = File.OpenRead(TemplatePath))
        await using (var copy = new FileStream(partial, FileMode.CreateNew, FileAccess.Write))
        {
            await source.CopyToAsync(copy, cancellationToken);
        }

        // The rename is atomic, so a workspace file is either absent or a whole copy of the template.
        File.Move(partial, target, overwrite: false);
    }

    public Task<bool> WorkspaceDatabaseExistsAsync(WorkspaceLocation location, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(PathOf(location)));

    public Task DropWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        var path = PathOf(location);
        using (var connection = new SqliteConnection(ConnectionString(path, pooling: true, SqliteOpenMode.ReadWrite)))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal", path + ".partial" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    public Task CheckServerAsync(DatabaseServer server, CancellationToken cancellationToken) => Task.CompletedTask;

    private SqliteWorkspaceDbContext OpenTemplate() =>
        new(new DbContextOptionsBuilder<SqliteWorkspaceDbContext>()
            .UseSqlite(ConnectionString(TemplatePath, pooling: false))
            .Options);

    private string PathOf(WorkspaceLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!DatabaseNames.IsValid(location.DatabaseName))
        {
            throw new ArgumentException($"'{location.DatabaseName}' is not a valid database name.", nameof(location));
        }

        return Path.Combine(_directory, "workspaces", location.DatabaseName + ".db");
    }

    private static string ConnectionString(string path, bool pooling, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = pooling, Mode = mode, DefaultTimeout = 30 }.ToString();
}
