using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Tenancy;

namespace OnTrackio.Upgrades;

public enum WorkspaceMigrationOutcome
{
    AlreadyCurrent,
    Upgraded,
    Failed,
}

public sealed record WorkspaceMigrationProgress(int Done, int Total, string Slug, WorkspaceMigrationOutcome Outcome, string? Error);

public sealed record MigrationFailure(string Target, string Error);

public sealed record MigrationReport(int Total, int Upgraded, int AlreadyCurrent, IReadOnlyList<MigrationFailure> Failures, TimeSpan Elapsed)
{
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>
/// <c>ontrackio migrate</c>: the catalog, then each server's template, then every workspace, in parallel with a bound
/// overall and per server. The catalog's recorded version is the fast path for skipping current workspaces; with
/// <c>verifyHistory</c> each database's own migration history is read instead. One failing workspace is reported
/// and the others carry on.
/// </summary>
public sealed class MigrateEverything(IDatabaseEngine engine, WorkspaceDirectory directory, IOptions<MigrationOptions> options)
{
    public async Task<MigrationReport> ExecuteAsync(
        bool verifyHistory, IProgress<WorkspaceMigrationProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new ConcurrentBag<MigrationFailure>();
        await engine.MigrateCatalogAsync(cancellationToken);

        List<DatabaseServer> servers;
        List<Workspace> workspaces;
        await using (var catalog = engine.CreateCatalogContext())
        {
            await EmbeddedServer.EnsureAsync(engine, catalog, cancellationToken);
            servers = await catalog.DatabaseServers.AsNoTracking().ToListAsync(cancellationToken);
            workspaces = await catalog.Workspaces.AsNoTracking().Where(w => w.Status == WorkspaceStatus.Active).ToListAsync(cancellationToken);
        }

        var usable = new HashSet<Guid>();
        foreach (var server in servers)
        {
            try
            {
                await engine.PrepareTemplateAsync(server, cancellationToken);
                usable.Add(server.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new MigrationFailure($"template on server {server.Name}", ex.Message));
            }
        }

        var serversById = servers.ToDictionary(s => s.Id);
        var perServer = servers.ToDictionary(s => s.Id, _ => new SemaphoreSlim(options.Value.MaxParallelismPerServer));
        var target = engine.CurrentWorkspaceSchemaVersion;
        int done = 0, upgraded = 0, current = 0;

        await Parallel.ForEachAsync(
            workspaces,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelism, CancellationToken = cancellationToken },
            async (workspace, ct) =>
            {
                WorkspaceMigrationOutcome outcome;
                string? error = null;
                if (!usable.Contains(workspace.ServerId))
                {
                    outcome = WorkspaceMigrationOutcome.Failed;
                    error = "its server's template could not be prepared";
                }
                else if (!verifyHistory && workspace.SchemaVersion == target)
                {
                    outcome = WorkspaceMigrationOutcome.AlreadyCurrent;
                }
                else
                {
                    var gate = perServer[workspace.ServerId];
                    await gate.WaitAsync(ct);
                    try
                    {
                        outcome = await MigrateAsync(WorkspaceLocation.Of(workspace, serversById[workspace.ServerId]), target, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        outcome = WorkspaceMigrationOutcome.Failed;
                        error = ex.GetBaseException().Message;
                    }
                    finally
                    {
                        gate.Release();
                    }
                }

                switch (outcome)
                {
                    case WorkspaceMigrationOutcome.Upgraded:
                        Interlocked.Increment(ref upgraded);
                        break;
                    case WorkspaceMigrationOutcome.AlreadyCurrent:
                        Interlocked.Increment(ref current);
                        break;
                    default:
                        failures.Add(new MigrationFailure(workspace.Slug, error ?? "unknown error"));
                        break;
                }

                progress?.Report(new WorkspaceMigrationProgress(Interlocked.Increment(ref done), workspaces.Count, workspace.Slug, outcome, error));
            });

        if (upgraded > 0)
        {
            await using var catalog = engine.CreateCatalogContext();
            await RoutingChanges.BumpAsync(catalog, cancellationToken);
            directory.Invalidate();
        }

        foreach (var gate in perServer.Values)
        {
            gate.Dispose();
        }

        return new MigrationReport(workspaces.Count, upgraded, current, [.. failures.OrderBy(f => f.Target, StringComparer.Ordinal)], stopwatch.Elapsed);
    }

    private async Task<WorkspaceMigrationOutcome> MigrateAsync(WorkspaceLocation location, string target, CancellationToken cancellationToken)
    {
        var outcome = WorkspaceMigrationOutcome.AlreadyCurrent;
        await using (var db = engine.CreateWorkspaceContext(location))
        {
            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            if (pending.Any())
            {
                await db.Database.MigrateAsync(cancellationToken);
                outcome = WorkspaceMigrationOutcome.Upgraded;
            }
        }

        await using var catalog = engine.CreateCatalogContext();
        await catalog.Workspaces
            .Where(w => w.Id == location.WorkspaceId)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.SchemaVersion, target), cancellationToken);
        return outcome;
    }
}
