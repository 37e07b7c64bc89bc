using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Databases;

/// <summary>One workspace database's data source in the registry, with its share of the server budget.</summary>
internal sealed class PooledWorkspace : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PooledWorkspace(NpgsqlDataSource dataSource, ServerConnectionBudget budget, PostgresEngineOptions options, TimeProvider time)
    {
        _dataSource = dataSource;
        Budget = budget;
        LastUsed = time.GetTimestamp();
        Options = new DbContextOptionsBuilder<PostgresWorkspaceDbContext>()
            .UseNpgsql(dataSource)
            .AddInterceptors(new BudgetInterceptor(this, options.ConnectionWaitTimeout))
            .Options;
    }

    public ServerConnectionBudget Budget { get; }

    public DbContextOptions<PostgresWorkspaceDbContext> Options { get; }

    /// <summary>Connections handed out and not yet closed. Guarded by the budget's lock.</summary>
    public int Leased { get; set; }

    /// <summary>Physical connections this pool may hold. Guarded by the budget's lock.</summary>
    public int Reserved { get; set; }

    /// <summary>Timestamp of the last release. Guarded by the budget's lock.</summary>
    public long LastUsed { get; set; }

    public void ClearIdleConnections() => _dataSource.Clear();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Takes a budget lease before EF opens a connection and returns it when EF closes it.</summary>
    private sealed class BudgetInterceptor(PooledWorkspace pool, TimeSpan waitTimeout) : DbConnectionInterceptor
    {
        public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await pool.Budget.AcquireAsync(pool, waitTimeout, cancellationToken);
            return result;
        }

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            pool.Budget.AcquireAsync(pool, waitTimeout, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return result;
        }

        public override void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => pool.Budget.Release(pool);

        public override Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
        {
            pool.Budget.Release(pool);
            return Task.CompletedTask;
        }

        public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => pool.Budget.Release(pool);

        public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            pool.Budget.Release(pool);
            return Task.CompletedTask;
        }
    }
}
