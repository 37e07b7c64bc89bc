using Microsoft.AspNetCore.Http;

namespace OnTrackio.Tenancy;

/// <summary>
/// Plain HTTP is served only to loopback hosts (the embedded default on <c>*.localhost</c>). Anything else is
/// redirected to HTTPS, or refused when the method cannot be safely redirected. Endpoints marked
/// <see cref="ServedOnAnyHostAttribute"/> are exempt: load balancer probes and the domain challenge speak HTTP.
/// </summary>
public sealed class TransportSecurityMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsHttps
            || context.GetEndpoint()?.Metadata.GetMetadata<ServedOnAnyHostAttribute>() is not null
            || (HostName.TryNormalize(context.Request.Host.Value, out var hostname) && HostName.IsLoopback(hostname)))
        {
            return next(context);
        }

        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            var host = HostName.TryNormalize(context.Request.Host.Value, out var normalized) ? normalized : null;
            if (host is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid host").ExecuteAsync(context);
            }

            var target = $"https://{host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
            return Results.Redirect(target, permanent: true, preserveMethod: true).ExecuteAsync(context);
        }

        return Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "HTTPS required",
            detail: "This service accepts plain HTTP only on loopback addresses. Use https://.").ExecuteAsync(context);
    }
}
