using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OnTrackio.ApiTokens;

/// <summary>
/// Runs <see cref="RevokeUnusedApiTokens"/> once a day in each web host, iterating workspaces through the catalog as
/// the audit purge does. Several hosts may run it together: the sweep is idempotent per token.
/// </summary>
public sealed partial class ApiTokenSweepService(IServiceScopeFactory scopes, TimeProvider time, ILogger<ApiTokenSweepService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);

    // Not at startup: a fleet restarting together should not sweep together.
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
            foreach (var outcome in await scope.ServiceProvider.GetRequiredService<RevokeUnusedApiTokens>().ExecuteAsync(cancellationToken))
            {
                if (outcome.Failure is not null)
                {
                    LogWorkspaceFailed(outcome.Failure, outcome.Slug);
                }
                else if (outcome.Revoked > 0)
                {
                    LogRevoked(outcome.Slug, outcome.Revoked);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One bad run must not stop tomorrow's; the next run looks at every workspace again.
            LogFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API tokens in {Slug}: {Count} unused for a year revoked")]
    private partial void LogRevoked(string slug, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API token sweep skipped workspace {Slug}")]
    private partial void LogWorkspaceFailed(Exception ex, string slug);

    [LoggerMessage(Level = LogLevel.Error, Message = "API token sweep failed")]
    private partial void LogFailed(Exception ex);
}
