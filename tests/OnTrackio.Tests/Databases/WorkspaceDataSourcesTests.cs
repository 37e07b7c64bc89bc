using Microsoft.EntityFrameworkCore.Infrastructure;
using OnTrackio.Catalog;
using OnTrackio.Databases;

namespace OnTrackio.Tests.Databases;

public sealed class WorkspaceDataSourcesTests
{
    /// <summary>
    /// One EF internal service provider (model, query cache) for every workspace: were it one per data source, memory
    /// would grow by megabytes per warm workspace and EF would warn after twenty.
    /// </summary>
    [Fact]
    public async Task WorkspaceContexts_ForDifferentDatabases_ShareOneEfServiceProvider()
    {
        var options = new PostgresEngineOptions();
        await using var engine = new PostgresEngine(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
        var server = new DatabaseServer { Id = Guid.NewGuid(), Name = "s", RegionId = "r", Host = "127.0.0.1", Port = 1, Username = "u" };

        var providers = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < 30; i++)
        {
            await using var db = engine.CreateWorkspaceContext(new WorkspaceLocation(Guid.NewGuid(), server, $"ws_{i}"));
            providers.Add(db.GetService<Microsoft.EntityFrameworkCore.Storage.IDatabaseProvider>());
        }

        Assert.Equal(30, engine.DataSources.Count);
        Assert.Single(providers);
    }
}
