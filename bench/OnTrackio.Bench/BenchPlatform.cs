using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Hosting;
using OnTrackio.Provisioning;
using OnTrackio.Upgrades;

namespace OnTrackio.Bench;

/// <summary>One provisioned workspace, how long provisioning it took, and its owner's one-time invitation link.</summary>
internal sealed record ProvisionedWorkspace(Guid Id, string Slug, TimeSpan Elapsed, string InvitationLink);

/// <summary>
/// The platform as the operator CLI runs it (same registrations, same configuration), for the provisioning and
/// migrate figures. Disposing it closes every connection it opened, so none is counted against the web host.
/// </summary>
internal sealed class BenchPlatform : IAsyncDisposable
{
    private const string OwnerEmail = "owner@example.com";

    private readonly ServiceProvider _services;

    public BenchPlatform(IConfiguration configuration)
    {
        _services = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning))
            .AddOnTrackioPlatform()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public PostgresEngineOptions PostgresOptions => _services.GetRequiredService<IOptions<PostgresEngineOptions>>().Value;

    /// <summary>Creates the catalog, then registers the server, which prepares its template.</summary>
    public async Task PrepareAsync(string serverName, string serverConnectionString, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AddDatabaseServer>().ExecuteAsync(
            new AddDatabaseServerRequest(serverName, CatalogDbContext.DefaultRegionId, serverConnectionString), cancellationToken);
    }

    /// <summary>Provisions one workspace after another, timing each as an operator would wait for it.</summary>
    public async Task<List<ProvisionedWorkspace>> ProvisionAsync(IReadOnlyList<string> slugs, Action<int> onProvisioned, CancellationToken cancellationToken)
    {
        var provisioned = new List<ProvisionedWorkspace>(slugs.Count);
        foreach (var slug in slugs)
        {
            await using var scope = _services.CreateAsyncScope();
            var createWorkspace = scope.ServiceProvider.GetRequiredService<CreateWorkspace>();
            var started = Stopwatch.GetTimestamp();
            var created = await createWorkspace.ExecuteAsync(
                new CreateWorkspaceRequest($"Bench {slug}", slug, CatalogDbContext.DefaultRegionId, OwnerEmail), cancellationToken);
            provisioned.Add(new ProvisionedWorkspace(created.Id, created.Slug, Stopwatch.GetElapsedTime(started), created.InvitationLink));
            onProvisioned(provisioned.Count);
        }

        return provisioned;
    }

    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<MigrateEverything>().ExecuteAsync(verifyHistory: false, progress: null, cancellationToken);
        if (!report.Succeeded)
        {
            var first = report.Failures[0];
            throw new InvalidOperationException($"migrate failed for {report.Failures.Count} target(s); first: {first.Target}: {first.Error}");
        }

        return report;
    }

    /// <summary>
    /// Takes every workspace back to the previous migration and records that in the catalog, so that the next
    /// migrate finds exactly one new migration everywhere, as after deploying a build that adds one.
    /// </summary>
    /// <returns>The migration every workspace is now at.</returns>
    public async Task<string> RollBackOneMigrationAsync(CancellationToken cancellationToken)
    {
        var engine = _services.GetRequiredService<IDatabaseEngine>();
        List<WorkspaceLocation> locations;
        await using (var catalog = engine.CreateCatalogContext())
        {
            var rows = await (
                    from workspace in catalog.Workspaces
                    join server in catalog.DatabaseServers on workspace.ServerId equals server.Id
                    select new { workspace, server })
                .AsNoTracking()
                .ToListAsync(cancellationToken);
            locations = [.. rows.Select(row => WorkspaceLocation.Of(row.workspace, row.server))];
        }

        var previous = PreviousMigration(engine, locations[0]);
        await Parallel.ForEachAsync(
            locations,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (location, ct) =>
            {
                await using var db = engine.CreateWorkspaceContext(location);
                await db.GetService<IMigrator>().MigrateAsync(previous, ct);
            });

        await using (var catalog = engine.CreateCatalogContext())
        {
            await catalog.Workspaces.ExecuteUpdateAsync(set => set.SetProperty(w => w.SchemaVersion, previous), cancellationToken);
        }

        return previous;
    }

    /// <summary>Opens one workspace's context by slug, through the catalog, as the operator CLI does.</summary>
    public async Task<WorkspaceData.WorkspaceDbContext> OpenWorkspaceAsync(string slug, CancellationToken cancellationToken)
    {
        var engine = _services.GetRequiredService<IDatabaseEngine>();
        await using var catalog = engine.CreateCatalogContext();
        var row = await (
                from workspace in catalog.Workspaces
                join server in catalog.DatabaseServers on workspace.ServerId equals server.Id
                where workspace.Slug == slug
                select new { workspace, server })
            .AsNoTracking()
            .SingleAsync(cancellationToken);
        return engine.CreateWorkspaceContext(WorkspaceLocation.Of(row.workspace, row.server));
    }

    /// <summary>The operation <c>ontrackio audit verify</c> runs, in a scope of the same registrations.</summary>
    public async Task<Audit.AuditChainVerification> VerifyAuditChainAsync(string slug, CancellationToken cancellationToken)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Audit.VerifyAuditChain>().ExecuteAsync(slug, cancellationToken);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static string PreviousMigration(IDatabaseEngine engine, WorkspaceLocation location)
    {
        using var db = engine.CreateWorkspaceContext(location);
        var migrations = db.Database.GetMigrations().ToList();
        return migrations.Count >= 2
            ? migrations[^2]
            : throw new InvalidOperationException("The workspace schema has a single migration, so there is no earlier one to roll back to.");
    }
}
