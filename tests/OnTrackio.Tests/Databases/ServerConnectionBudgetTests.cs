using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OnTrackio.Databases;

namespace OnTrackio.Tests.Databases;

public sealed class ServerConnectionBudgetTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<PooledWorkspace> _pools = [];
    private readonly PostgresEngineOptions _options = new() { PoolSizePerWorkspace = 2 };

    private static readonly TimeSpan Drain = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Acquire_BudgetSpent_ClearsTheLeastRecentlyUsedIdlePoolAndWaitsForItsBackendsToExit()
    {
        var budget = new ServerConnectionBudget(capacity: 2, poolSizePerWorkspace: 2, Drain, _time);
        var older = Pool(budget);
        var newer = Pool(budget);
        var fresh = Pool(budget);
        await LeaseAndReleaseAsync(budget, older);
        _time.Advance(TimeSpan.FromSeconds(1));
        await LeaseAndReleaseAsync(budget, newer);

        var acquire = budget.AcquireAsync(fresh, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();

        Assert.False(acquire.IsCompleted);
        Assert.Equal(0, older.Reserved);
        Assert.Equal(1, newer.Reserved);
        Assert.Equal(1, budget.Draining);
        _time.Advance(Drain);
        await acquire;
        Assert.Equal(1, fresh.Reserved);
        Assert.Equal(2, budget.Reserved);
        Assert.Equal(0, budget.Draining);
    }

    [Fact]
    public async Task Acquire_AllConnectionsLeased_WaitsForARelease()
    {
        var budget = new ServerConnectionBudget(capacity: 1, poolSizePerWorkspace: 2, Drain, TimeProvider.System);
        var busy = Pool(budget);
        var waiting = Pool(budget);
        await budget.AcquireAsync(busy, TimeSpan.FromSeconds(5), CancellationToken.None);

        var acquire = budget.AcquireAsync(waiting, TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(acquire.IsCompleted);

        budget.Release(busy);
        await acquire;

        Assert.Equal(1, waiting.Leased);
        Assert.Equal(1, budget.Reserved);
    }

    [Fact]
    public async Task Acquire_NothingReleasedInTime_ThrowsBudgetExhausted()
    {
        var budget = new ServerConnectionBudget(capacity: 1, poolSizePerWorkspace: 2, Drain, TimeProvider.System);
        var busy = Pool(budget);
        await budget.AcquireAsync(busy, TimeSpan.FromSeconds(5), CancellationToken.None);

        await Assert.ThrowsAsync<ConnectionBudgetExhaustedException>(
            () => budget.AcquireAsync(Pool(budget), TimeSpan.FromMilliseconds(100), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Acquire_PoolAtItsSizeLimit_QueuesInsideThePoolWithoutANewReservation()
    {
        var budget = new ServerConnectionBudget(capacity: 10, poolSizePerWorkspace: 2, Drain, _time);
        var pool = Pool(budget);

        for (var i = 0; i < 5; i++)
        {
            await budget.AcquireAsync(pool, TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        Assert.Equal(2, pool.Reserved);
        Assert.Equal(2, budget.Reserved);
    }

    [Fact]
    public void Sweep_DataSourceIdleLongerThanItsLifetime_IsRetiredThenDisposed()
    {
        var options = new PostgresEngineOptions { IdleDataSourceLifetime = TimeSpan.FromMinutes(2) };
        var server = new OnTrackio.Catalog.DatabaseServer { Id = Guid.NewGuid(), Name = "s", RegionId = "r", Host = "127.0.0.1", Port = 1, Username = "u" };
        var registry = new WorkspaceDataSources(new PostgresConnections(options), options, _time);
        registry.Get(new WorkspaceLocation(Guid.NewGuid(), server, "ws_one"));
        Assert.Equal(1, registry.Count);

        _time.Advance(TimeSpan.FromMinutes(1));
        registry.Sweep();
        Assert.Equal(1, registry.Count);

        _time.Advance(TimeSpan.FromMinutes(2));
        registry.Sweep();
        Assert.Equal(0, registry.Count);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync();
        }
    }

    private PooledWorkspace Pool(ServerConnectionBudget budget)
    {
        var pool = new PooledWorkspace(NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"), budget, _options, _time);
        budget.Track(pool);
        _pools.Add(pool);
        return pool;
    }

    private static async Task LeaseAndReleaseAsync(ServerConnectionBudget budget, PooledWorkspace pool)
    {
        await budget.AcquireAsync(pool, TimeSpan.FromSeconds(1), CancellationToken.None);
        budget.Release(pool);
    }
}
