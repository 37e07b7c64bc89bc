using Microsoft.EntityFrameworkCore;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Provisioning;

/// <summary>Runs alone, so that the list of databases on the cluster changes only by what the test itself does.</summary>
[CollectionDefinition(nameof(DatabaseInventory), DisableParallelization = true)]
public sealed class DatabaseInventory;

[Collection(nameof(DatabaseInventory))]
public sealed class ProvisioningRollbackTests
{
    [Fact]
    public async Task CreateWorkspace_CatalogWriteFails_DropsTheNewDatabaseAndLeavesNoCatalogRows()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var before = await TestCluster.A.DatabasesAsync();

        // A real failure between the steps: the database is created and seeded, then the catalog refuses the insert.
        await TestCluster.A.ExecuteAsync(platform.CatalogDatabase, """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
            CREATE TRIGGER refuse_workspaces BEFORE INSERT ON workspaces FOR EACH ROW EXECUTE FUNCTION refuse();
            """);

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => platform.CreateWorkspaceAsync("acme"));

        Assert.Contains("injected failure", ex.GetBaseException().Message, StringComparison.Ordinal);
        Assert.Equal(before, await TestCluster.A.DatabasesAsync());
        await using var catalog = platform.Catalog();
        Assert.False(await catalog.Workspaces.AnyAsync(TestContext.Current.CancellationToken));
        Assert.False(await catalog.Domains.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateWorkspace_WorkspaceSeedFails_DropsTheNewDatabaseAndLeavesNoCatalogRows()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var template = platform.Configuration["OnTrackio:Database:Postgres:TemplateDatabase"]!;

        // The template carries a trigger that every copy inherits, so seeding the new database fails.
        await TestCluster.A.ExecuteAsync(template, """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected seed failure'; END $$;
            CREATE TRIGGER refuse_invitations BEFORE INSERT ON invitations FOR EACH ROW EXECUTE FUNCTION refuse();
            """);
        var before = await TestCluster.A.DatabasesAsync();

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => platform.CreateWorkspaceAsync("acme"));

        Assert.Contains("injected seed failure", ex.GetBaseException().Message, StringComparison.Ordinal);
        Assert.Equal(before, await TestCluster.A.DatabasesAsync());
        await using var catalog = platform.Catalog();
        Assert.False(await catalog.Workspaces.AnyAsync(TestContext.Current.CancellationToken));
    }
}
