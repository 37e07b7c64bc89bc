using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Databases;

namespace OnTrackio.Tenancy;

/// <summary>
/// Hostname → workspace, from the catalog, through a short cache. Only verified domains of active workspaces resolve.
/// </summary>
/// <remarks>
/// Each cached answer (including "no such host", so that random hosts cannot hammer the catalog) remembers the routing
/// counter it was read under. A host reads the counter at most every <see cref="TenancyOptions.ChangeCheckInterval"/>;
/// when another process adds or removes a domain the counter moves and every older answer is ignored.
/// </remarks>
public sealed class WorkspaceDirectory : IDisposable
{
    private readonly IDatabaseEngine _engine;
    private readonly TenancyOptions _options;
    private readonly TimeProvider _time;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private readonly SemaphoreSlim _checking = new(1, 1);
    private long _generation = -1;
    private long _checkedAt;

    public WorkspaceDirectory(IDatabaseEngine engine, IOptions<TenancyOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _options = options.Value;
        _time = time;
    }

    public async ValueTask<ResolvedWorkspace?> FindAsync(string hostname, CancellationToken cancellationToken)
    {
        await RefreshGenerationAsync(cancellationToken);
        var generation = Interlocked.Read(ref _generation);
        if (_cache.TryGetValue(hostname, out Entry? entry) && entry!.Generation >= generation)
        {
            return entry.Workspace;
        }

        var workspace = await LoadAsync(hostname, cancellationToken);
        _cache.Set(hostname, new Entry(workspace, generation), new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = _options.CacheLifetime,
        });
        return workspace;
    }

    /// <summary>Forgets every cached answer in this process; other processes notice through the routing counter.</summary>
    public void Invalidate() => Interlocked.Exchange(ref _checkedAt, 0);

    public void Dispose()
    {
        _cache.Dispose();
        _checking.Dispose();
    }

    private async ValueTask RefreshGenerationAsync(CancellationToken cancellationToken)
    {
        var checkedAt = Interlocked.Read(ref _checkedAt);
        if (checkedAt != 0 && _time.GetElapsedTime(checkedAt) < _options.ChangeCheckInterval)
        {
            return;
        }

        // One request per host refreshes; the others carry on with the answers they have.
        if (!await _checking.WaitAsync(checkedAt == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return;
        }

        try
        {
            await using var catalog = _engine.CreateCatalogContext();
            var generation = await RoutingChanges.ReadAsync(catalog, cancellationToken);
            Interlocked.Exchange(ref _generation, generation);
            Interlocked.Exchange(ref _checkedAt, _time.GetTimestamp());
        }
        finally
        {
            _checking.Release();
        }
    }

    private async Task<ResolvedWorkspace?> LoadAsync(string hostname, CancellationToken cancellationToken)
    {
        await using var catalog = _engine.CreateCatalogContext();
        var row = await (
                from domain in catalog.Domains
                join workspace in catalog.Workspaces on domain.WorkspaceId equals workspace.Id
                join server in catalog.DatabaseServers on workspace.ServerId equals server.Id
                where domain.Hostname == hostname && domain.VerifiedAt != null && workspace.Status == WorkspaceStatus.Active
                select new { workspace, server })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken);

        return row is null
            ? null
            : new ResolvedWorkspace(
                row.workspace.Id,
                row.workspace.Slug,
                row.workspace.DisplayName,
                row.workspace.RegionId,
                hostname,
                row.workspace.SchemaVersion,
                WorkspaceLocation.Of(row.workspace, row.server));
    }

    private sealed record Entry(ResolvedWorkspace? Workspace, long Generation);
}
