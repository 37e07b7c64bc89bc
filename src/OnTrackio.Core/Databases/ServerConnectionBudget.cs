namespace OnTrackio.Databases;

/// <summary>
/// Caps the physical connections this process holds to one PostgreSQL server across all of its workspace pools.
/// </summary>
/// <remarks>
/// Npgsql pools are per data source and know nothing of each other, so with 1,000 workspaces their idle connections
/// alone would exhaust <c>max_connections</c>. Each pool's physical connections never exceed the most leases it has
/// had at once since it was last cleared (a pool only opens a connection when none is idle), so the budget reserves
/// that high-water mark per pool. When a lease needs a new reservation and the budget is spent, the least recently
/// used pool with nothing leased is cleared, which closes its idle connections; when no pool is idle, the lease waits.
/// A cleared pool's reservation comes back only after <c>drainTime</c>: PostgreSQL counts a closed connection
/// against <c>max_connections</c> until its backend process has exited, which takes a few milliseconds, so reusing
/// the slot at once would briefly exceed the budget. Pooling stays on: a warm workspace keeps its connections.
/// </remarks>
internal sealed class ServerConnectionBudget(int capacity, int poolSizePerWorkspace, TimeSpan drainTime, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly HashSet<PooledWorkspace> _pools = [];
    private readonly LinkedList<TaskCompletionSource> _waiters = new();
    private int _reserved;
    private int _draining;

    public int Capacity => capacity;

    /// <summary>Physical connections this process may hold right now (an upper bound, not a count).</summary>
    public int Reserved
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>Slots of cleared pools whose backends may still be exiting.</summary>
    public int Draining
    {
        get
        {
            lock (_gate)
            {
                return _draining;
            }
        }
    }

    public void Track(PooledWorkspace pool)
    {
        lock (_gate)
        {
            _pools.Add(pool);
        }
    }

    /// <summary>Forgets a pool with nothing leased, returning its reservation; false if it is in use.</summary>
    public bool TryForget(PooledWorkspace pool)
    {
        lock (_gate)
        {
            if (pool.Leased > 0)
            {
                return false;
            }

            _reserved -= pool.Reserved;
            pool.Reserved = 0;
            _pools.Remove(pool);
            SignalWaiters();
            return true;
        }
    }

    public async ValueTask AcquireAsync(PooledWorkspace pool, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            TaskCompletionSource waiter;
            lock (_gate)
            {
                if (TryLease(pool))
                {
                    return;
                }

                waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.AddLast(waiter);
            }

            var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
            {
                Remove(waiter);
                throw new ConnectionBudgetExhaustedException(capacity);
            }

            try
            {
                await waiter.Task.WaitAsync(remaining, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                Remove(waiter);
                throw new ConnectionBudgetExhaustedException(capacity);
            }
            catch (OperationCanceledException)
            {
                Remove(waiter);
                throw;
            }
        }
    }

    public void Release(PooledWorkspace pool)
    {
        lock (_gate)
        {
            pool.Leased--;
            pool.LastUsed = time.GetTimestamp();
            SignalWaiters();
        }
    }

    private bool TryLease(PooledWorkspace pool)
    {
        // A pool at its size limit makes Npgsql queue the open inside that pool, which needs no new reservation.
        if (pool.Leased < pool.Reserved || pool.Reserved >= poolSizePerWorkspace)
        {
            pool.Leased++;
            return true;
        }

        if (_reserved + _draining < capacity)
        {
            _reserved++;
            pool.Reserved++;
            pool.Leased++;
            return true;
        }

        // Clear idle pools until the slots on their way back cover every lease waiting for one, this one included.
        while (_draining <= _waiters.Count && ClearIdlest(pool))
        {
        }

        return false;
    }

    private bool ClearIdlest(PooledWorkspace except)
    {
        PooledWorkspace? idlest = null;
        foreach (var candidate in _pools)
        {
            if (candidate != except && candidate.Leased == 0 && candidate.Reserved > 0
                && (idlest is null || candidate.LastUsed < idlest.LastUsed))
            {
                idlest = candidate;
            }
        }

        if (idlest is null)
        {
            return false;
        }

        idlest.ClearIdleConnections();
        var freed = idlest.Reserved;
        _reserved -= freed;
        _draining += freed;
        idlest.Reserved = 0;
        _ = ReturnAfterDrainAsync(freed);
        return true;
    }

    private async Task ReturnAfterDrainAsync(int slots)
    {
        await Task.Delay(drainTime, time);
        lock (_gate)
        {
            _draining -= slots;
            SignalWaiters();
        }
    }

    private void SignalWaiters()
    {
        // Every waiter retries: which one can proceed depends on its own pool, not on arrival order.
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult();
        }

        _waiters.Clear();
    }

    private void Remove(TaskCompletionSource waiter)
    {
        lock (_gate)
        {
            _waiters.Remove(waiter);
        }
    }
}

/// <summary>Thrown when every connection of a server's budget stays in use for longer than the wait timeout.</summary>
public sealed class ConnectionBudgetExhaustedException(int capacity)
    : Exception($"All {capacity} connections budgeted for this database server stayed busy; try again shortly.");
