using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OnTrackio.Databases;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Upgrades;

public sealed class MigrateEverythingTests
{
    [Fact]
    public async Task Migrate_FiftyWorkspacesOneBroken_UpgradesFortyNineAndReportsTheOne()
    {
        await using var platform = await TestPlatform.PostgresAsync([TestCluster.A, TestCluster.B]);
        var slugs = Enumerable.Range(1, 50).Select(i => $"ws{i:D2}").ToList();
        foreach (var slug in slugs)
        {
            await platform.CreateWorkspaceAsync(slug);
        }

        var previous = await RollBackOneMigrationAsync(platform);

        // Break one: without its migration history, migrating it re-runs the first migration, which cannot succeed.
        await BreakAsync(platform, "ws17");

        var result = await platform.CliAsync("migrate");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("50 workspace(s): 49 upgraded, 0 already current, 1 failed", result.Output, StringComparison.Ordinal);
        Assert.Contains("failed: ws17:", result.Error, StringComparison.Ordinal);
        Assert.Contains("[50/50]", result.Output, StringComparison.Ordinal);
        await using var catalog = platform.Catalog();
        var versions = await catalog.Workspaces.ToDictionaryAsync(w => w.Slug, w => w.SchemaVersion, TestContext.Current.CancellationToken);
        Assert.Equal(previous, versions["ws17"]);
        Assert.All(versions.Where(v => v.Key != "ws17"), v => Assert.Equal(platform.Engine.CurrentWorkspaceSchemaVersion, v.Value));

        var again = await platform.CliAsync("migrate", "--quiet");

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("0 upgraded, 49 already current, 1 failed", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_UpgradedWorkspace_IsServedAgainByARunningHost()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var created = await platform.CreateWorkspaceAsync("acme");
        await using var host = await platform.StartWebHostAsync();
        await RollBackOneMigrationAsync(platform);
        using (var behind = await host.GetAsync("acme.localhost", "/api/v1/workspace"))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, behind.StatusCode);
        }

        (await platform.CliAsync("migrate")).ShouldSucceed();

        Assert.Equal(created.Id, await host.WorkspaceIdAtAsync("acme.localhost"));
    }

    [Fact]
    public async Task Migrate_VerifyHistory_FindsAWorkspaceTheCatalogWronglyCallsCurrent()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        await platform.CreateWorkspaceAsync("acme");
        var previous = await RollBackOneMigrationAsync(platform, updateCatalog: false);
        Assert.NotNull(previous);

        var trusting = await platform.CliAsync("migrate");
        var verifying = await platform.CliAsync("migrate", "--verify-history");

        Assert.Contains("0 upgraded, 1 already current", trusting.Output, StringComparison.Ordinal);
        Assert.Contains("1 upgraded, 0 already current", verifying.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_OnSqlite_UpgradesWorkspaceFiles()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await platform.CreateWorkspaceAsync("acme");
        await RollBackOneMigrationAsync(platform);

        var result = await platform.CliAsync("migrate");

        result.ShouldSucceed();
        Assert.Contains("1 upgraded", result.Output, StringComparison.Ordinal);
    }

    /// <summary>Takes every workspace back one migration, as if the code had just gained one; returns the older version.</summary>
    internal static async Task<string> RollBackOneMigrationAsync(TestPlatform platform, bool updateCatalog = true)
    {
        ArgumentNullException.ThrowIfNull(platform);
        await using var catalog = platform.Catalog();
        var servers = await catalog.DatabaseServers.ToDictionaryAsync(s => s.Id);
        string previous = string.Empty;
        foreach (var workspace in await catalog.Workspaces.ToListAsync())
        {
            await using var db = platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(workspace, servers[workspace.ServerId]));
            var migrations = db.Database.GetMigrations().ToList();
            previous = migrations[^2];
            await db.GetService<IMigrator>().MigrateAsync(previous);
            if (updateCatalog)
            {
                workspace.SchemaVersion = previous;
            }
        }

        await catalog.SaveChangesAsync();
        await OnTrackio.Tenancy.RoutingChanges.BumpAsync(catalog, CancellationToken.None);
        return previous;
    }

    private static async Task BreakAsync(TestPlatform platform, string slug)
    {
        await using var catalog = platform.Catalog();
        var workspace = await catalog.Workspaces.SingleAsync(w => w.Slug == slug);
        var server = await catalog.DatabaseServers.SingleAsync(s => s.Id == workspace.ServerId);
        var cluster = server.Name == TestPlatform.ServerA ? TestCluster.A : TestCluster.B;
        await cluster.ExecuteAsync(workspace.DatabaseName, "DROP TABLE \"__EFMigrationsHistory\"");
    }
}
