using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Tenancy;

namespace OnTrackio.Importing;

public enum ImportStep
{
    Check,
    Commit,
}

/// <summary>A step of a job to run, with the workspace it belongs to and who asked for it (the commit's audit actor).</summary>
public sealed record ImportWork(ResolvedWorkspace Workspace, Guid JobId, ImportStep Step, AuditActor Actor);

/// <summary>
/// The jobs waiting in this web host. It holds no state that matters: the job rows are the truth, each run claims its
/// job with a conditional update, and a job whose host stopped is queued again by the next look at it.
/// </summary>
public sealed class PendingImports
{
    private readonly Channel<ImportWork> _channel = Channel.CreateUnbounded<ImportWork>();

    internal ChannelReader<ImportWork> Reader => _channel.Reader;

    public void Enqueue(ImportWork work) => _channel.Writer.TryWrite(work);
}

/// <summary>
/// Runs queued imports in the background, a few at a time, each in a scope whose workspace is the job's, set from the
/// job's own record of it (as a request's host would set it) so the register's operations and the audit trail work
/// as they do in a request.
/// </summary>
public sealed partial class ImportWorker(PendingImports queue, IServiceScopeFactory scopes, ILogger<ImportWorker> logger) : BackgroundService
{
    /// <summary>Imports run together in one host: one large file must not hold back every other workspace's.</summary>
    private const int Runners = 2;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Runners).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Resolve(work.Workspace);
                    var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
                    await (work.Step == ImportStep.Check
                        ? runner.CheckAsync(work.JobId, stoppingToken)
                        : runner.CommitAsync(work.JobId, work.Actor, stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // One job's failure must not stop the others; the job itself says what went wrong where it can.
                    LogFailed(ex, work.JobId, work.Workspace.Slug);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} in workspace {Slug} failed")]
    private partial void LogFailed(Exception ex, Guid jobId, string slug);
}

public static class ImportServiceCollectionExtensions
{
    /// <summary>CSV import of assets, people and models: the operations, the queue and the background runner.</summary>
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddSingleton<PendingImports>();
        services.AddHostedService<ImportWorker>();
        services.AddScoped<ImportRunner>();
        services.AddScoped<ImportJobs>();
        services.AddScoped<ImportTemplates>();
        services.AddScoped<StartImport>();
        services.AddScoped<CommitImport>();
        services.AddScoped<AbandonImport>();
        services.AddAuthorization(options => options.AddPolicy(ImportTemplates.Policy, policy => policy
            .RequireAuthenticatedUser()
            .RequireAssertion(context => Permissions.IsGranted(Permissions.ImportsRun, context.User)
                && Enum.GetValues<ImportKind>().Any(kind => Permissions.IsGranted(ImportTemplates.PermissionFor(kind), context.User)))));
        return services;
    }
}
