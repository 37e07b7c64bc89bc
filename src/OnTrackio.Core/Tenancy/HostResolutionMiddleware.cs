using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using OnTrackio.Databases;

namespace OnTrackio.Tenancy;

/// <summary>
/// Fixes the request's workspace from its verified hostname, and from nothing else: no header, query string, cookie,
/// claim or body can name a workspace. An unknown or unverified host is answered 404 before any workspace database is
/// touched; a workspace whose schema differs from this build's is answered 503 rather than with random errors.
/// </summary>
public sealed class HostResolutionMiddleware(RequestDelegate next, WorkspaceDirectory directory, IDatabaseEngine engine)
{
    public async Task InvokeAsync(HttpContext context, WorkspaceContext workspace)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(workspace);
        // A status-code page re-executes the request in the same scope, whose workspace this very host already named.
        if (workspace.IsResolved)
        {
            await next(context);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<ServedOnAnyHostAttribute>() is not null)
        {
            // The platform's own answers (health, domain challenges) are machine-read: no workspace page explains them.
            context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            await next(context);
            return;
        }

        // Request.Host is the Host header, or X-Forwarded-Host when (and only when) a configured proxy sent it.
        if (!HostName.TryNormalize(context.Request.Host.Value, out var hostname))
        {
            await Problem(context, StatusCodes.Status400BadRequest, "Invalid host", "The request's Host header is not a valid hostname.");
            return;
        }

        var resolved = await directory.FindAsync(hostname, context.RequestAborted);
        if (resolved is null)
        {
            await Problem(context, StatusCodes.Status404NotFound, "No workspace here", "No workspace is served at this address.");
            return;
        }

        if (resolved.SchemaVersion != engine.CurrentWorkspaceSchemaVersion)
        {
            context.Response.Headers.RetryAfter = "60";
            await Problem(
                context,
                StatusCodes.Status503ServiceUnavailable,
                "Workspace upgrade in progress",
                "This workspace's database is at a different schema version than this server. It is being upgraded; try again in a minute.");
            return;
        }

        workspace.Resolve(resolved);
        await next(context);
    }

    private static Task Problem(HttpContext context, int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
}
