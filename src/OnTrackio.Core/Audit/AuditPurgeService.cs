using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OnTrackio.Audit;

/// <summary>
/// Runs <see cref="PurgeAuditLog"/> over every workspace once a day in each web host. Several hosts may run it at
/// once: the purge itself takes one lock per workspace and is idempotent, so no coordination is needed here.
/// </summary>
public sealed partial class AuditPurgeService(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditPurgeService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);

    // Not at startup: a fleet restarting together should not purge together, and tests should not see a purge.
    private static readonly TimeSpan FirstRun = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRun, time, stoppingToken);
            using var timer = new PeriodicTimer(Period, time);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            foreach (var outcome in await scope.ServiceProvider.GetRequiredService<PurgeAuditLog>().ExecuteAsync(null, cancellationToken))
            {
                if (outcome.EntriesPurged > 0)
                {
                    LogPurged(outcome.Slug, outcome.EntriesPurged, outcome.AnchorSequence);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad day must not stop tomorrow's run; the next run retries every workspace.
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit purge in {Slug}: {Count} entries removed, anchor at sequence {Sequence}")]
    private partial void LogPurged(string slug, long count, long? sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit purge run failed")]
    private partial void LogFailed(Exception ex);
}
