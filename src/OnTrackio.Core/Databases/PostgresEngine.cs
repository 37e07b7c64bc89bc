using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OnTrackio.Catalog;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Databases;

/// <summary>PostgreSQL: one database per workspace, created with <c>CREATE DATABASE … TEMPLATE</c> from a migrated template.</summary>
internal sealed class PostgresEngine : IDatabaseEngine, IAsyncDisposable
{
    private readonly PostgresEngineOptions _options;
    private readonly PostgresConnections _connections;
    private readonly Lazy<NpgsqlDataSource> _catalog;
    private readonly Lazy<DbContextOptions<PostgresCatalogDbContext>> _catalogOptions;
    private readonly ConcurrentDictionary<Guid, NpgsqlDataSource> _admin = new();
    private readonly ConcurrentDictionary<Guid, bool> _currentTemplates = new();

    public PostgresEngine(IOptions<PostgresEngineOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _connections = new PostgresConnections(_options);
        _catalog = new Lazy<NpgsqlDataSource>(_connections.BuildCatalogDataSource);
        _catalogOptions = new Lazy<DbContextOptions<PostgresCatalogDbContext>>(
            () => new DbContextOptionsBuilder<PostgresCatalogDbContext>().UseNpgsql(_catalog.Value).Options);
        DataSources = new WorkspaceDataSources(_connections, _options, time);
        using var design = new PostgresWorkspaceDbContext(new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql().Options);
        CurrentWorkspaceSchemaVersion = design.Database.GetMigrations().Last();
    }

    public DatabaseEngineKind Kind => DatabaseEngineKind.Postgres;

    public string CurrentWorkspaceSchemaVersion { get; }

    internal WorkspaceDataSources DataSources { get; }

    public CatalogDbContext CreateCatalogContext() => new PostgresCatalogDbContext(_catalogOptions.Value);

    public WorkspaceDbContext CreateWorkspaceContext(WorkspaceLocation location) =>
        new PostgresWorkspaceDbContext(DataSources.Get(location).Options) { Location = location };

    public async Task MigrateCatalogAsync(CancellationToken cancellationToken)
    {
        await using var catalog = CreateCatalogContext();
        await catalog.Database.MigrateAsync(cancellationToken);
    }

    public async Task PrepareTemplateAsync(DatabaseServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        _currentTemplates.TryRemove(server.Id, out _);
        if (!await DatabaseExistsAsync(server, _options.TemplateDatabase, cancellationToken))
        {
            await ExecuteAdminAsync(server, $"CREATE DATABASE {Quote(_options.TemplateDatabase)}", cancellationToken);
        }

        await using var template = OpenTemplate(server, out var dataSource);
        await using (dataSource)
        {
            await template.Database.MigrateAsync(cancellationToken);
        }
    }

    public async Task<bool> IsTemplateCurrentAsync(DatabaseServer server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (_currentTemplates.ContainsKey(server.Id))
        {
            return true;
        }

        if (!await DatabaseExistsAsync(server, _options.TemplateDatabase, cancellationToken))
        {
            return false;
        }

        await using var template = OpenTemplate(server, out var dataSource);
        await using (dataSource)
        {
            var applied = await template.Database.GetAppliedMigrationsAsync(cancellationToken);
            var current = applied.LastOrDefault() == CurrentWorkspaceSchemaVersion;
            if (current)
            {
                _currentTemplates[server.Id] = true;
            }

            return current;
        }
    }

    public Task CreateWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return ExecuteAdminAsync(
            location.Server,
            $"CREATE DATABASE {Quote(location.DatabaseName)} TEMPLATE {Quote(_options.TemplateDatabase)}",
            cancellationToken);
    }

    public Task<bool> WorkspaceDatabaseExistsAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        return DatabaseExistsAsync(location.Server, location.DatabaseName, cancellationToken);
    }

    public async Task DropWorkspaceDatabaseAsync(WorkspaceLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        await DataSources.EvictAsync(location);
        await ExecuteAdminAsync(location.Server, $"DROP DATABASE IF EXISTS {Quote(location.DatabaseName)} WITH (FORCE)", cancellationToken);
    }

    public async Task CheckServerAsync(DatabaseServer server, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = Admin(server).CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Security.Authentication.AuthenticationException)
        {
            throw new OperationRefusedException($"Cannot connect to database server '{server.Name}' ({server.Host}:{server.Port}): {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSources.DisposeAsync();
        foreach (var admin in _admin.Values)
        {
            await admin.DisposeAsync();
        }

        if (_catalog.IsValueCreated)
        {
            await _catalog.Value.DisposeAsync();
        }
    }

    private PostgresWorkspaceDbContext OpenTemplate(DatabaseServer server, out NpgsqlDataSource dataSource)
    {
        // Unpooled: CREATE DATABASE … TEMPLATE refuses to copy a database that has open connections.
        dataSource = _connections.BuildDataSource(server, _options.TemplateDatabase, builder => builder.Pooling = false);
        return new PostgresWorkspaceDbContext(new DbContextOptionsBuilder<PostgresWorkspaceDbContext>().UseNpgsql(dataSource).Options);
    }

    private async Task<bool> DatabaseExistsAsync(DatabaseServer server, string database, CancellationToken cancellationToken)
    {
        await using var command = Admin(server).CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task ExecuteAdminAsync(DatabaseServer server, string sql, CancellationToken cancellationToken)
    {
        await using var command = Admin(server).CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlDataSource Admin(DatabaseServer server) =>
        _admin.GetOrAdd(server.Id, _ => _connections.BuildDataSource(server, PostgresConnections.MaintenanceDatabase, builder =>
        {
            builder.MaxPoolSize = 2;
            builder.ConnectionIdleLifetime = 30;
        }));

    /// <summary>Database names are generated or validated against <c>^[a-z_][a-z0-9_]*$</c>; quoting is belt and braces.</summary>
    private static string Quote(string identifier)
    {
        if (!DatabaseNames.IsValid(identifier))
        {
            throw new ArgumentException($"'{identifier}' is not a valid database name.", nameof(identifier));
        }

        return $"\"{identifier}\"";
    }
}
