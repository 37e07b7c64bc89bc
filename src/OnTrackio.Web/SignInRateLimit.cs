using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Tenancy;

namespace OnTrackio.Web;

/// <summary>Sign-in and invitation attempts per workspace and client address: slows guessing beyond what lockout stops.</summary>
internal static class SignInRateLimit
{
    public const string Policy = "sign-in";
    public const int PermitsPerMinute = 10;

    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, _) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "60";
            return ValueTask.CompletedTask;
        };
        options.AddPolicy(Policy, context =>
        {
            // Only POSTs are attempts; showing the form is free.
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var workspace = context.RequestServices.GetRequiredService<WorkspaceContext>().Current.Id;
            var key = $"{workspace:N}/{context.Connection.RemoteIpAddress}";
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = PermitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
    }
}
