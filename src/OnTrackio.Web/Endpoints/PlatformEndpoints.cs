using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OnTrackio.Domains;
using OnTrackio.Tenancy;

namespace OnTrackio.Web.Endpoints;

/// <summary>Endpoints that answer on any host and never touch a workspace database.</summary>
internal static class PlatformEndpoints
{
    public static void MapPlatformEndpoints(this WebApplication app)
    {
        var anyHost = new ServedOnAnyHostAttribute();

        // Alive: the process answers. No dependency is checked, so a catalog outage does not restart every host.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(anyHost);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(CatalogHealthCheck.ReadyTag) })
            .WithMetadata(anyHost);

        app.MapGet(DomainChallenges.HttpPathPrefix + "{token}", async (string token, HttpContext context, DomainChallengeResponder responder) =>
                await responder.IsChallengeAsync(context.Request.Host.Value, token, context.RequestAborted)
                    ? Results.Text(token, "text/plain")
                    : Results.NotFound())
            .WithMetadata(anyHost)
            .ExcludeFromDescription();
    }
}
