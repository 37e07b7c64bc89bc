using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Databases;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Databases;

public sealed class ConnectionBudgetTests
{
    [Fact]
    public async Task ManyWorkspacesUnderLoad_StayWithinTheServerBudget_AndEveryRequestSucceeds()
    {
        const int budget = 6;
        await using var platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            c["OnTrackio:Database:Postgres:ConnectionBudgetPerServer"] = budget.ToString(System.Globalization.CultureInfo.InvariantCulture);
            c["OnTrackio:Database:Postgres:PoolSizePerWorkspace"] = "2";
        });
        var databases = new List<string>();
        var slugs = Enumerable.Range(1, 15).Select(i => $"load{i:D2}").ToList();
        foreach (var slug in slugs)
        {
            databases.Add((await platform.CreateWorkspaceAsync(slug)).DatabaseName);
        }

        // Provisioning ran in this process, like the CLI; its pools close as the CLI's would on exit, so that
        // what is counted below is the web host's alone.
        await platform.RestartServicesAsync();
        await using var host = await platform.StartWebHostAsync();
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakConnectionsAsync(databases, sampling.Token);
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (i, ct) =>
        {
            using var response = await host.GetAsync($"{slugs[i % slugs.Count]}.localhost", "/api/v1/workspace");
            if (!response.IsSuccessStatusCode)
            {
                failures.Add($"{slugs[i % slugs.Count]}: {(int)response.StatusCode}");
            }
        });
        await sampling.CancelAsync();

        Assert.Empty(failures);
        Assert.InRange(await peak, 1, budget);
        var engine = (PostgresEngine)host.Services.GetRequiredService<IDatabaseEngine>();
        Assert.Equal(15, engine.DataSources.Count);
    }

    private static async Task<long> SamplePeakConnectionsAsync(List<string> databases, CancellationToken stop)
    {
        var list = string.Join(",", databases.Select(d => $"'{d}'"));
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            var count = (await TestCluster.A.QueryAsync<long>("postgres", $"SELECT count(*) FROM pg_stat_activity WHERE datname IN ({list})"))[0];
            peak = Math.Max(peak, count);
            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }
}
