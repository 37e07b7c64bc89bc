using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OnTrackio.ApiTokens;
using OnTrackio.Tenancy;

namespace OnTrackio.Web;

/// <summary>
/// Requests made with API tokens, limited per token and per workspace (all its tokens together) in fixed one-minute
/// windows, as <see cref="ApiTokenOptions"/> sets them; one busy integration cannot starve the others, nor one workspace
/// the host. A refusal is a 429 problem with <c>Retry-After</c>. Sessions are not counted here.
/// </summary>
internal static class ApiTokenRateLimit
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Call after the sign-in limit's registration: the refusal handler here hands sessions' refusals to it.</summary>
    public static IServiceCollection AddApiTokenRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiTokenOptions>>((options, limits) => Configure(options, limits.Value));
        return services;
    }

    private static void Configure(RateLimiterOptions options, ApiTokenOptions limits)
    {
        var perToken = PartitionedRateLimiter.Create<HttpContext, (Guid Workspace, Guid Token)>(context =>
            ApiTokenPrincipal.Actor(context.User) is { } token
                ? RateLimitPartition.GetFixedWindowLimiter((WorkspaceOf(context), token.TokenId), _ => FixedWindow(limits.RequestsPerMinutePerToken))
                : RateLimitPartition.GetNoLimiter((Guid.Empty, Guid.Empty)));
        var perWorkspace = PartitionedRateLimiter.Create<HttpContext, Guid>(context =>
            ApiTokenPrincipal.Is(context.User)
                ? RateLimitPartition.GetFixedWindowLimiter(WorkspaceOf(context), _ => FixedWindow(limits.RequestsPerMinutePerWorkspace))
                : RateLimitPartition.GetNoLimiter(Guid.Empty));
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(perToken, perWorkspace);

        var others = options.OnRejected;
        options.OnRejected = async (context, cancellationToken) =>
        {
            if (!ApiTokenPrincipal.Is(context.HttpContext.User))
            {
                if (others is not null)
                {
                    await others(context, cancellationToken);
                }

                return;
            }

            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : (int)Window.TotalSeconds;
            var response = context.HttpContext.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = string.Create(CultureInfo.InvariantCulture,
                        $"A token may make {limits.RequestsPerMinutePerToken} requests a minute, and a workspace's tokens {limits.RequestsPerMinutePerWorkspace} together. Try again in {seconds} s."),
                },
            });
        };
    }

    private static Guid WorkspaceOf(HttpContext context) => context.RequestServices.GetRequiredService<WorkspaceContext>().Current.Id;

    private static FixedWindowRateLimiterOptions FixedWindow(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
