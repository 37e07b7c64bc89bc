using System.Diagnostics;
using Npgsql;

namespace OnTrackio.Bench;

/// <summary>Backends counted in one look at <c>pg_stat_activity</c>.</summary>
internal sealed record ConnectionCount(int Workspace, int Client);

/// <summary>
/// Polls <c>pg_stat_activity</c> on its own connection and keeps the peaks. Workspace connections are those to
/// <c>ws_*</c> databases, the ones the per-server budget covers; client backends include the catalog's and this one.
/// </summary>
internal sealed class ConnectionMonitor : IAsyncDisposable
{
    private const string Query = @"SELECT count(*) FILTER (WHERE datname LIKE 'ws\_%')::int, count(*) FILTER (WHERE backend_type = 'client backend')::int
        FROM pg_stat_activity";

    private readonly NpgsqlConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private Task? _polling;
    private int _peakWorkspace;
    private int _peakClient;
    private int _samples;
    private int _workspaceLimit;
    private int _samplesOverLimit;

    private ConnectionMonitor(NpgsqlConnection connection) => _connection = connection;

    public ConnectionCount Peak => new(Volatile.Read(ref _peakWorkspace), Volatile.Read(ref _peakClient));

    public int Samples => Volatile.Read(ref _samples);

    /// <summary>Samples that counted more workspace connections than the limit given to <see cref="Start"/>.</summary>
    public int SamplesOverLimit => Volatile.Read(ref _samplesOverLimit);

    public static async Task<ConnectionMonitor> OpenAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(adminConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new ConnectionMonitor(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<ConnectionCount> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Query, _connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ConnectionCount(reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// Waits, up to a limit, until no workspace connection is listed. Backends stay listed until their process has
    /// exited, which can lag behind the client closing the connection.
    /// </summary>
    /// <returns>The last count, and how long it took to get there.</returns>
    public async Task<(ConnectionCount Count, TimeSpan Waited)> WaitForNoWorkspaceConnectionsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var count = await CountAsync(cancellationToken);
        while (count.Workspace > 0 && Stopwatch.GetElapsedTime(started) < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            count = await CountAsync(cancellationToken);
        }

        return (count, Stopwatch.GetElapsedTime(started));
    }

    public void Start(TimeSpan interval, int workspaceLimit)
    {
        if (_polling is not null)
        {
            throw new InvalidOperationException("The monitor is already polling.");
        }

        _workspaceLimit = workspaceLimit;
        _polling = PollAsync(interval, _stop.Token);
    }

    /// <summary>Stops polling; a failed poll surfaces here, since peaks from a monitor that stopped early would flatter.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        await _connection.DisposeAsync();
    }

    private async Task PollAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var count = await CountAsync(cancellationToken);
                Raise(ref _peakWorkspace, count.Workspace);
                Raise(ref _peakClient, count.Client);
                Interlocked.Increment(ref _samples);
                if (count.Workspace > _workspaceLimit)
                {
                    Interlocked.Increment(ref _samplesOverLimit);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static void Raise(ref int peak, int value)
    {
        // Only the polling loop writes; Volatile publishes the value to the reader on the main thread.
        if (value > peak)
        {
            Volatile.Write(ref peak, value);
        }
    }
}
