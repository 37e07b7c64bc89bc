using System.Collections.Concurrent;
using OnTrackio.Catalog;

namespace OnTrackio.Databases;

/// <summary>
/// The process-wide registry of PostgreSQL data sources, one per workspace database, created on first use and
/// disposed when idle, with one connection budget per server.
/// </summary>
/// <remarks>
/// Npgsql keeps type and pool state per data source, so an unbounded registry leaks; idle entries are retired by a
/// sweep. A retired entry is first taken out of the lookup (new requests build a fresh one) and disposed only on a
/// later sweep, once nothing can still hold it.
/// </remarks>
internal sealed class WorkspaceDataSources : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<PooledWorkspace>> _pools = new();
    private readonly ConcurrentDictionary<Guid, ServerConnectionBudget> _budgets = new();
    private readonly ConcurrentQueue<(PooledWorkspace Pool, long RetiredAt)> _retired = new();
    private readonly PostgresConnections _connections;
    private readonly PostgresEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ITimer _sweeper;

    public WorkspaceDataSources(PostgresConnections connections, PostgresEngineOptions options, TimeProvider time)
    {
        _connections = connections;
        _options = options;
        _time = time;
        var period = _options.IdleDataSourceLifetime / 2;
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    public int Count => _pools.Count;

    public ServerConnectionBudget BudgetFor(DatabaseServer server) =>
        _budgets.GetOrAdd(server.Id, _ => new ServerConnectionBudget(_options.ConnectionBudgetPerServer, _options.PoolSizePerWorkspace, _options.EvictionDrainTime, _time));

    public PooledWorkspace Get(WorkspaceLocation location)
    {
        var key = Key(location);
        return _pools.GetOrAdd(key, _ => new Lazy<PooledWorkspace>(() => Create(location))).Value;
    }

    /// <summary>Closes this process's connections to a database about to be dropped.</summary>
    public async Task EvictAsync(WorkspaceLocation location)
    {
        if (_pools.TryRemove(Key(location), out var lazy) && lazy.IsValueCreated)
        {
            var pool = lazy.Value;
            pool.ClearIdleConnections();
            pool.Budget.TryForget(pool);
            await pool.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync();
        foreach (var lazy in _pools.Values.Where(l => l.IsValueCreated))
        {
            await lazy.Value.DisposeAsync();
        }

        while (_retired.TryDequeue(out var retired))
        {
            await retired.Pool.DisposeAsync();
        }
    }

    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        var lifetime = _options.IdleDataSourceLifetime;

        // Dispose entries retired on an earlier sweep once they have stayed idle.
        var count = _retired.Count;
        for (var i = 0; i < count && _retired.TryDequeue(out var retired); i++)
        {
            if (_time.GetElapsedTime(retired.RetiredAt, now) >= lifetime / 2 && retired.Pool.Budget.TryForget(retired.Pool))
            {
                retired.Pool.ClearIdleConnections();
                _ = retired.Pool.DisposeAsync().AsTask();
            }
            else
            {
                _retired.Enqueue(retired);
            }
        }

        foreach (var (key, lazy) in _pools)
        {
            if (lazy.IsValueCreated && lazy.Value.Leased == 0 && _time.GetElapsedTime(lazy.Value.LastUsed, now) >= lifetime
                && _pools.TryRemove(new KeyValuePair<string, Lazy<PooledWorkspace>>(key, lazy)))
            {
                lazy.Value.ClearIdleConnections();
                _retired.Enqueue((lazy.Value, now));
            }
        }
    }

    private PooledWorkspace Create(WorkspaceLocation location)
    {
        var budget = BudgetFor(location.Server);
        var dataSource = _connections.BuildDataSource(location.Server, location.DatabaseName, builder =>
        {
            builder.MaxPoolSize = _options.PoolSizePerWorkspace;
            builder.MinPoolSize = 0;
        });
        var pool = new PooledWorkspace(dataSource, budget, _options, _time);
        budget.Track(pool);
        return pool;
    }

    private static string Key(WorkspaceLocation location) => $"{location.Server.Id:N}/{location.DatabaseName}";
}
