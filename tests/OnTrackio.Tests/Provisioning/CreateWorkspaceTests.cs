using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Provisioning;

public sealed class CreateWorkspaceTests
{
    [Fact]
    public async Task CreateWorkspace_OnPostgres_CreatesDatabaseVerifiedDomainAndHashedOwnerInvitation()
    {
        await using var platform = await TestPlatform.PostgresAsync();

        var created = await platform.CreateWorkspaceAsync("acme", "Acme Ltd");

        Assert.Contains(created.DatabaseName, await TestCluster.A.DatabasesAsync());
        await using var catalog = platform.Catalog();
        var workspace = await catalog.Workspaces.Include(w => w.Domains).SingleAsync(w => w.Slug == "acme", TestContext.Current.CancellationToken);
        Assert.Equal(WorkspaceStatus.Active, workspace.Status);
        Assert.Equal(platform.Engine.CurrentWorkspaceSchemaVersion, workspace.SchemaVersion);
        var domain = Assert.Single(workspace.Domains);
        Assert.Equal("acme.localhost", domain.Hostname);
        Assert.True(domain.IsPrimary);
        Assert.NotNull(domain.VerifiedAt);

        var token = InvitationLink.TokenOf(created.InvitationLink);
        var stored = await TestCluster.A.QueryAsync<byte[]>(created.DatabaseName, "SELECT token_hash FROM invitations");
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), Assert.Single(stored));
        var emails = await TestCluster.A.QueryAsync<string>(created.DatabaseName, "SELECT email FROM invitations");
        Assert.Equal("owner@acme.example", Assert.Single(emails));
        var stamp = await TestCluster.A.QueryAsync<Guid>(created.DatabaseName, "SELECT workspace_id FROM workspace_profile");
        Assert.Equal(created.Id, Assert.Single(stamp));
    }

    [Fact]
    public async Task CreateWorkspace_TwoServersInRegion_PlacesEachOnTheLeastLoaded()
    {
        await using var platform = await TestPlatform.PostgresAsync([TestCluster.A, TestCluster.B]);

        var placed = new List<string>();
        foreach (var slug in new[] { "one", "two", "three", "four" })
        {
            placed.Add((await platform.CreateWorkspaceAsync(slug)).ServerName);
        }

        Assert.Equal(2, placed.Count(s => s == TestPlatform.ServerA));
        Assert.Equal(2, placed.Count(s => s == TestPlatform.ServerB));
    }

    [Fact]
    public async Task CreateWorkspace_OnSqlite_CopiesTheTemplateFileAndRoutes()
    {
        await using var platform = await TestPlatform.SqliteAsync();

        var created = await platform.CreateWorkspaceAsync("acme");

        Assert.True(File.Exists(Path.Combine(platform.SqliteDirectory!, "workspaces", created.DatabaseName + ".db")));
        await using var host = await platform.StartWebHostAsync();
        Assert.Equal(created.Id, await host.WorkspaceIdAtAsync("acme.localhost"));
    }

    [Fact]
    public async Task CreateWorkspace_OnSqliteCatalogWriteFails_RemovesTheNewFile()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using (var catalog = platform.Catalog())
        {
            await catalog.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse BEFORE INSERT ON workspaces BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
                TestContext.Current.CancellationToken);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => platform.CreateWorkspaceAsync("acme"));

        Assert.Empty(Directory.GetFiles(Path.Combine(platform.SqliteDirectory!, "workspaces")));
    }

    [Fact]
    public async Task DeleteWorkspace_DropsTheDatabaseAndCatalogRows_AndTheHostStopsRouting()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var created = await platform.CreateWorkspaceAsync("acme");
        await using var host = await platform.StartWebHostAsync();
        Assert.Equal(created.Id, await host.WorkspaceIdAtAsync("acme.localhost"));

        var result = await platform.CliWithInputAsync("acme\n", "workspace", "delete", "acme");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(created.DatabaseName, await TestCluster.A.DatabasesAsync());
        await using var catalog = platform.Catalog();
        Assert.False(await catalog.Workspaces.AnyAsync(TestContext.Current.CancellationToken));
        Assert.False(await catalog.Domains.AnyAsync(TestContext.Current.CancellationToken));
        using var response = await host.GetAsync("acme.localhost", "/api/v1/workspace");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeleteWorkspace_NotConfirmed_DeletesNothing()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var created = await platform.CreateWorkspaceAsync("acme");

        var result = await platform.CliWithInputAsync("wrong\n", "workspace", "delete", "acme");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing was deleted", result.Error, StringComparison.Ordinal);
        Assert.Contains(created.DatabaseName, await TestCluster.A.DatabasesAsync());
    }

    [Fact]
    public async Task CreateWorkspace_TemplateMissing_IsRefusedUntilMigrateRuns()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        await platform.RestartServicesAsync();
        var template = platform.Configuration["OnTrackio:Database:Postgres:TemplateDatabase"]!;
        await TestCluster.A.ExecuteAsync("postgres", $"DROP DATABASE {template}");

        var refused = await platform.CliAsync("workspace", "create", "--name", "Acme", "--slug", "acme", "--owner-email", "it@acme.example");
        (await platform.CliAsync("migrate")).ShouldSucceed();
        var created = await platform.CliAsync("workspace", "create", "--name", "Acme", "--slug", "acme", "--owner-email", "it@acme.example");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("ontrackio migrate", refused.Error, StringComparison.Ordinal);
        created.ShouldSucceed();
        Assert.Contains("Owner invitation", created.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void DatabaseNames_ForWorkspace_AreValidIdentifiers() =>
        Assert.True(DatabaseNames.IsValid(DatabaseNames.ForWorkspace(Guid.CreateVersion7())));
}
