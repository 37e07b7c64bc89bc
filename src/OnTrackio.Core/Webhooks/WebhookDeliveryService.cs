using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// The delivery job of one web host. It watches the workspaces that have enabled endpoints or pending deliveries,
/// found by a look over every workspace of the catalog at start and every <see cref="WebhookOptions.DiscoveryInterval"/>,
/// and by the outbox's signal when a change through this host commits. It claims what is due in a watched workspace
/// when signalled (at once) and every <see cref="WebhookOptions.PollInterval"/> (changes made through other hosts, and
/// retries), and sends it, at most <see cref="WebhookOptions.Concurrency"/> attempts at a time. Several hosts run it
/// side by side: each delivery is claimed by one of them (<see cref="DeliverWebhooks"/>).
/// </summary>
public sealed partial class WebhookDeliveryService(
    IServiceScopeFactory scopes,
    IDatabaseEngine engine,
    IOptions<WebhookOptions> options,
    IOptions<TenancyOptions> tenancy,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    /// <summary>How often the outbox log is trimmed to its retention, per workspace, at most.</summary>
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>A signal for a workspace this host does not know re-reads the catalog at most this often.</summary>
    private static readonly TimeSpan UnknownWorkspaceRecheck = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, ResolvedWorkspace> _known = new();
    private readonly ConcurrentDictionary<Guid, ResolvedWorkspace> _watched = new();
    private readonly ConcurrentDictionary<Guid, long> _prunedAt = new();
    private readonly ConcurrentDictionary<Task, bool> _rounds = new();
    private readonly Channel<WorkspaceLocation?> _signals = Channel.CreateUnbounded<WorkspaceLocation?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);
    private long _catalogReadAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WebhookSignal.Committed += OnCommitted;
        try
        {
            var discovery = DiscoverLoopAsync(stoppingToken);
            await DispatchLoopAsync(stoppingToken);
            await discovery;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            WebhookSignal.Committed -= OnCommitted;

            // Rounds end with the host's token; what they had not recorded is claimed again when their leases run out.
            await Task.WhenAll(_rounds.Keys).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private void OnCommitted(WorkspaceLocation? location) => _signals.Writer.TryWrite(location);

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        var polledAt = time.GetTimestamp();
        var due = new HashSet<Guid>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var untilPoll = interval - time.GetElapsedTime(polledAt);
            if (due.Count == 0 && untilPoll > TimeSpan.Zero)
            {
                // On the host's clock, as are due times and leases, so a test that moves its clock moves this too.
                using var pause = new CancellationTokenSource(untilPoll, time);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, pause.Token);
                try
                {
                    await _signals.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }

            try
            {
                while (_signals.Reader.TryRead(out var location))
                {
                    if (location is null)
                    {
                        due.UnionWith(_watched.Keys);
                    }
                    else if (await KnowAsync(location.WorkspaceId, stoppingToken) is { } workspace)
                    {
                        _watched[workspace.Id] = workspace;
                        due.Add(workspace.Id);
                    }
                }

                if (time.GetElapsedTime(polledAt) >= interval)
                {
                    due.UnionWith(_watched.Keys);
                    polledAt = time.GetTimestamp();
                }

                var again = new HashSet<Guid>();
                foreach (var id in due)
                {
                    if (_watched.TryGetValue(id, out var workspace) && await ClaimAndSendAsync(workspace, stoppingToken))
                    {
                        again.Add(id);
                    }
                }

                due = again;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // A failing look must not end the job (nor stop the host): the next poll looks again.
                LogDispatchFailed(ex);
                due.Clear();
            }
        }
    }

    /// <summary>Claims as many due deliveries as there are free places (waiting for one) and sends them; true when it filled every place it had, so more may be due.</summary>
    private async Task<bool> ClaimAndSendAsync(ResolvedWorkspace workspace, CancellationToken stoppingToken)
    {
        await _slots.WaitAsync(stoppingToken);
        var places = 1;
        while (places < DeliverWebhooks.BatchSize && _slots.Wait(0, CancellationToken.None))
        {
            places++;
        }

        var scope = scopes.CreateAsyncScope();
        List<ClaimedDelivery> claimed;
        try
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Resolve(workspace);
            claimed = await scope.ServiceProvider.GetRequiredService<DeliverWebhooks>().ClaimAsync(places, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _slots.Release(places);
            await scope.DisposeAsync();
            LogClaimFailed(ex, workspace.Slug);
            return false;
        }
        catch
        {
            _slots.Release(places);
            await scope.DisposeAsync();
            throw;
        }

        if (places > claimed.Count)
        {
            _slots.Release(places - claimed.Count);
        }

        if (claimed.Count == 0)
        {
            await scope.DisposeAsync();
            return false;
        }

        var round = SendAsync(scope, workspace, claimed, stoppingToken);
        _rounds[round] = true;
        _ = round.ContinueWith(done => _rounds.TryRemove(done, out _), TaskScheduler.Default);
        return claimed.Count == places;
    }

    private async Task SendAsync(AsyncServiceScope scope, ResolvedWorkspace workspace, List<ClaimedDelivery> claimed, CancellationToken stoppingToken)
    {
        var unsent = claimed.Count;
        try
        {
            await scope.ServiceProvider.GetRequiredService<DeliverWebhooks>().DeliverAsync(claimed, () =>
            {
                Interlocked.Decrement(ref unsent);
                _slots.Release();
            }, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The leases run out and the deliveries are claimed again; nothing is lost, at worst sent twice.
            LogRoundFailed(ex, workspace.Slug);
        }
        finally
        {
            var left = Interlocked.Exchange(ref unsent, 0);
            if (left > 0)
            {
                _slots.Release(left);
            }

            await scope.DisposeAsync();
        }
    }

    private async Task DiscoverLoopAsync(CancellationToken stoppingToken)
    {
        if (options.Value.DiscoveryDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.DiscoveryDelay, time, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DiscoverAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The next look tries every workspace again; signalled workspaces are served meanwhile.
                LogDiscoveryFailed(ex);
            }

            await Task.Delay(options.Value.DiscoveryInterval, time, stoppingToken);
        }
    }

    /// <summary>Reads which workspaces need watching (enabled endpoints or pending deliveries), and trims their logs when due.</summary>
    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        var workspaces = await ReadCatalogAsync(cancellationToken);
        foreach (var gone in _watched.Keys.Where(id => !workspaces.ContainsKey(id)))
        {
            _watched.TryRemove(gone, out _);
        }

        foreach (var workspace in workspaces.Values)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Resolve(workspace);
                var db = scope.ServiceProvider.GetRequiredService<WorkspaceDbContext>();
                if (await db.Set<WebhookSubscription>().AnyAsync(s => s.Enabled, cancellationToken)
                    || await db.Set<WebhookDelivery>().AnyAsync(d => d.Status == WebhookDeliveryStatus.Pending, cancellationToken))
                {
                    _watched[workspace.Id] = workspace;
                }
                else
                {
                    _watched.TryRemove(workspace.Id, out _);
                }

                if (!_prunedAt.TryGetValue(workspace.Id, out var prunedAt) || time.GetElapsedTime(prunedAt) >= PruneInterval)
                {
                    await PruneAsync(db, cancellationToken);
                    _prunedAt[workspace.Id] = time.GetTimestamp();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogWorkspaceFailed(ex, workspace.Slug);
            }
        }
    }

    /// <summary>Finished deliveries past the retention go with their attempts, then the events no delivery points at.</summary>
    private async Task PruneAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - options.Value.Retention).ToUnixTimeMilliseconds();
        var expired = db.Set<WebhookDelivery>().Where(d => d.Status != WebhookDeliveryStatus.Pending && d.DueAt < cutoff);
        await db.Set<WebhookAttempt>().Where(a => expired.Any(d => d.Id == a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
        await expired.ExecuteDeleteAsync(cancellationToken);
        await db.Set<WebhookEvent>().Where(e => !db.Set<WebhookDelivery>().Any(d => d.EventId == e.Id)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>A workspace this host serves webhooks for, by id; re-reads the catalog (not too often) for one it does not know yet.</summary>
    private async Task<ResolvedWorkspace?> KnowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(id, out var known))
        {
            return known;
        }

        var readAt = Interlocked.Read(ref _catalogReadAt);
        if (readAt != 0 && time.GetElapsedTime(readAt) < UnknownWorkspaceRecheck)
        {
            return null;
        }

        try
        {
            await ReadCatalogAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogDiscoveryFailed(ex);
        }

        return _known.GetValueOrDefault(id);
    }

    /// <summary>
    /// Active workspaces at this build's schema (an older one has no outbox tables yet, and is served once migrated),
    /// with the hostname their admins' emails link to: the platform's own for the workspace, else a verified one.
    /// </summary>
    private async Task<Dictionary<Guid, ResolvedWorkspace>> ReadCatalogAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _catalogReadAt, time.GetTimestamp());
        await using var catalog = engine.CreateCatalogContext();
        var schema = engine.CurrentWorkspaceSchemaVersion;
        var workspaces = await catalog.Workspaces.AsNoTracking()
            .Where(w => w.Status == WorkspaceStatus.Active && w.SchemaVersion == schema)
            .ToListAsync(cancellationToken);
        var servers = await catalog.DatabaseServers.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        var hostnames = (await catalog.Domains.AsNoTracking().Where(d => d.VerifiedAt != null).Select(d => new { d.WorkspaceId, d.Hostname }).ToListAsync(cancellationToken))
            .ToLookup(d => d.WorkspaceId, d => d.Hostname);
        var platformDomain = tenancy.Value.PlatformDomain;
        var found = new Dictionary<Guid, ResolvedWorkspace>();
        foreach (var workspace in workspaces)
        {
            var own = $"{workspace.Slug}.{platformDomain}";
            var hostname = hostnames[workspace.Id].Contains(own, StringComparer.OrdinalIgnoreCase) ? own : hostnames[workspace.Id].Order(StringComparer.Ordinal).FirstOrDefault() ?? own;
            found[workspace.Id] = new ResolvedWorkspace(
                workspace.Id, workspace.Slug, workspace.DisplayName, workspace.RegionId, hostname, workspace.SchemaVersion,
                WorkspaceLocation.Of(workspace, servers[workspace.ServerId]));
        }

        foreach (var gone in _known.Keys.Where(id => !found.ContainsKey(id)))
        {
            _known.TryRemove(gone, out _);
        }

        foreach (var (id, workspace) in found)
        {
            _known[id] = workspace;
        }

        return found;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming webhook deliveries in workspace {Slug} failed")]
    private partial void LogClaimFailed(Exception ex, string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of webhook deliveries in workspace {Slug} failed; its deliveries are claimed again when their leases run out")]
    private partial void LogRoundFailed(Exception ex, string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching webhook deliveries failed")]
    private partial void LogDispatchFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for workspaces with webhooks failed")]
    private partial void LogDiscoveryFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking at the webhooks of workspace {Slug} failed")]
    private partial void LogWorkspaceFailed(Exception ex, string slug);
}
