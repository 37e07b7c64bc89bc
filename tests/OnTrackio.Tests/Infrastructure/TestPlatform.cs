using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OnTrackio.Catalog;
using OnTrackio.Cli;
using OnTrackio.Databases;
using OnTrackio.Hosting;
using OnTrackio.Provisioning;
using OnTrackio.Upgrades;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// A complete, isolated platform for one test: its own catalog database and template name on the test clusters (or
/// its own SQLite folder), with the same services the web host and the CLI use. Web hosts started from it are real
/// Kestrel servers on loopback with their own service providers, as separate processes would be.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    public const string ServerA = "pg-a";
    public const string ServerB = "pg-b";
    public const string MasterKeyId = "test-1";

    private readonly List<TestWebHost> _hosts = [];

    private TestPlatform(Dictionary<string, string?> configuration, string? sqliteDirectory)
    {
        Configuration = configuration;
        SqliteDirectory = sqliteDirectory;
        Services = BuildServices(configuration);
    }

    public Dictionary<string, string?> Configuration { get; }

    public string? SqliteDirectory { get; }

    public ServiceProvider Services { get; private set; }

    public IDatabaseEngine Engine => Services.GetRequiredService<IDatabaseEngine>();

    public string CatalogDatabase => new Npgsql.NpgsqlConnectionStringBuilder(Configuration["OnTrackio:Database:Postgres:CatalogConnectionString"]).Database!;

    /// <summary>A PostgreSQL platform with its catalog on <paramref name="catalogCluster"/> (A unless named) and the given clusters registered as servers.</summary>
    public static async Task<TestPlatform> PostgresAsync(
        IEnumerable<TestCluster>? servers = null, Action<Dictionary<string, string?>>? configure = null, TestCluster? catalogCluster = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var catalogDatabase = $"cat_{id}";
        catalogCluster ??= TestCluster.A;
        await catalogCluster.ExecuteAsync("postgres", $"CREATE DATABASE {catalogDatabase}");
        var configuration = new Dictionary<string, string?>
        {
            ["OnTrackio:Database:Engine"] = "Postgres",
            ["OnTrackio:Database:Postgres:CatalogConnectionString"] = catalogCluster.ConnectionString(catalogDatabase).Replace("Pooling=False", "Pooling=True", StringComparison.Ordinal),
            ["OnTrackio:Database:Postgres:TemplateDatabase"] = $"tpl_{id}",
            ["OnTrackio:Database:Postgres:ServerPasswords:" + ServerA] = TestCluster.A.Password,
            ["OnTrackio:Database:Postgres:ServerPasswords:" + ServerB] = TestCluster.B.Password,
            ["OnTrackio:Database:Postgres:RootCertificate"] = TestCluster.CaCertificatePath,
            ["OnTrackio:Encryption:MasterKeys:" + MasterKeyId] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["OnTrackio:Encryption:ActiveMasterKeyId"] = MasterKeyId,

            // The filesystem object store's default folder is the embedded data folder (the home directory here).
            ["OnTrackio:Storage:FileSystem:Root"] = Directory.CreateTempSubdirectory("ontrackio-objects-").FullName,
        };
        AddCommon(configuration);
        configure?.Invoke(configuration);
        var platform = new TestPlatform(configuration, null);
        await platform.MigrateAsync();
        foreach (var cluster in servers ?? [TestCluster.A])
        {
            await platform.AddServerAsync(cluster);
        }

        return platform;
    }

    /// <summary>An embedded (SQLite) platform in a fresh temporary folder.</summary>
    public static async Task<TestPlatform> SqliteAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("ontrackio-test-").FullName;
        var configuration = new Dictionary<string, string?>
        {
            ["OnTrackio:Database:Engine"] = "Sqlite",
            ["OnTrackio:Database:Sqlite:DataDirectory"] = directory,
        };
        AddCommon(configuration);
        configure?.Invoke(configuration);
        var platform = new TestPlatform(configuration, directory);
        await platform.MigrateAsync();
        return platform;
    }

    public Task<DatabaseServer> AddServerAsync(TestCluster cluster) =>
        InScopeAsync(services => services.GetRequiredService<AddDatabaseServer>().ExecuteAsync(
            new AddDatabaseServerRequest(cluster == TestCluster.A ? ServerA : ServerB, CatalogDbContext.DefaultRegionId, cluster.ConnectionWithoutPassword),
            CancellationToken.None));

    public Task<MigrationReport> MigrateAsync() =>
        InScopeAsync(services => services.GetRequiredService<MigrateEverything>().ExecuteAsync(false, null, CancellationToken.None));

    public Task<CreatedWorkspace> CreateWorkspaceAsync(string slug, string? name = null) =>
        InScopeAsync(services => services.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest(name ?? $"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"owner@{slug}.example"),
            CancellationToken.None));

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async Task InScopeAsync(Func<IServiceProvider, Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider);
    }

    /// <summary>Closes every connection this platform's own services hold (as if the CLI process had exited).</summary>
    public async Task RestartServicesAsync()
    {
        await Services.DisposeAsync();
        Services = BuildServices(Configuration);
    }

    /// <summary>A catalog context for assertions; the caller disposes it.</summary>
    public CatalogDbContext Catalog() => Engine.CreateCatalogContext();

    /// <summary>
    /// Starts a web host on a loopback port with this platform's configuration, plus <paramref name="configure"/>;
    /// <paramref name="time"/> replaces the host's clock (a FakeTimeProvider lets a test move time on).
    /// </summary>
    public async Task<TestWebHost> StartWebHostAsync(Action<Dictionary<string, string?>>? configure = null, TimeProvider? time = null)
    {
        var configuration = new Dictionary<string, string?>(Configuration);
        configure?.Invoke(configuration);
        var host = await TestWebHost.StartAsync(configuration, time);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Runs the operator CLI in-process, as <c>ontrackio args…</c> would run, with this platform's configuration.</summary>
    public async Task<CliResult> CliWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exitCode = await OperatorCli.RunAsync(args, output, error, reader, Configuration);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public Task<CliResult> CliAsync(params string[] args) => CliWithInputAsync(string.Empty, args);

    /// <summary>Runs the CLI with extra configuration, as an operator would with an environment variable.</summary>
    public async Task<CliResult> CliWithConfigAsync(Action<Dictionary<string, string?>> configure, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var configuration = new Dictionary<string, string?>(Configuration);
        configure(configuration);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await OperatorCli.RunAsync(args, output, error, TextReader.Null, configuration);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Services.DisposeAsync();
        if (SqliteDirectory is null && Configuration.GetValueOrDefault("OnTrackio:Storage:FileSystem:Root") is { } objects
            && Path.GetFileName(objects).StartsWith("ontrackio-objects-", StringComparison.Ordinal))
        {
            try
            {
                Directory.Delete(objects, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean from /tmp.
            }
        }

        if (SqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(SqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a pool is left for the OS to clean from /tmp.
            }
        }
    }

    private static void AddCommon(Dictionary<string, string?> configuration)
    {
        configuration["OnTrackio:Tenancy:PlatformDomain"] = "localhost";
        configuration["OnTrackio:Tenancy:PublicScheme"] = "http";

        // Every request reads the routing counter, so a change made through another service provider shows at once.
        configuration["OnTrackio:Tenancy:ChangeCheckInterval"] = "00:00:00";
        configuration["Logging:LogLevel:Default"] = "Warning";
    }

    internal static ServiceProvider BuildServices(Dictionary<string, string?> configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOnTrackioPlatform();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
