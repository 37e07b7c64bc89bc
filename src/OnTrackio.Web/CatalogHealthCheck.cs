using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OnTrackio.Databases;

namespace OnTrackio.Web;

/// <summary>Ready means the catalog answers: without it no host can be resolved.</summary>
internal sealed class CatalogHealthCheck(IDatabaseEngine engine) : IHealthCheck
{
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var catalog = engine.CreateCatalogContext();
            return await catalog.Database.CanConnectAsync(cancellationToken) && await catalog.Regions.AnyAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The catalog database is not reachable or not migrated.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The message, not the exception: it may carry a connection string in some providers' errors.
            return HealthCheckResult.Unhealthy("The catalog database is not reachable or not migrated.");
        }
    }
}
