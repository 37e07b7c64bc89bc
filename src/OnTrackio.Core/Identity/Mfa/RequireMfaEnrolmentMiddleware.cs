using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Applies the workspace's MFA policy to signed-in people without a second factor: pages send them to set one up, the
/// API answers 403 with a problem saying so. Runs after authorization, so anonymous and refused requests are untouched.
/// </summary>
public sealed class RequireMfaEnrolmentMiddleware(RequestDelegate next)
{
    public const string SetupPath = "/account/mfa/setup";
    public const string ProblemType = "https://ontrackio.dev/problems/mfa-enrolment-required";
    public const string ProblemTitle = "MFA enrolment required";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Cheapest tests first: most requests leave after reading a claim or the endpoint's metadata.
        // An API token is not a sign-in: the policy governs how people sign in, and the token was created in a session
        // that the policy had already let through.
        if (context.User.Identity?.IsAuthenticated != true
            || context.User.HasClaim(MfaEnforcement.AmrClaimType, MfaEnforcement.MfaValue)
            || ApiTokens.ApiTokenPrincipal.Is(context.User)
            || context.GetEndpoint() is not { } endpoint
            || endpoint.Metadata.GetMetadata<AllowWithoutMfaEnrolmentAttribute>() is not null
            || !context.RequestServices.GetRequiredService<WorkspaceContext>().IsResolved
            || !await context.RequestServices.GetRequiredService<MfaEnforcement>().MustEnrolAsync(context.User, context.RequestAborted))
        {
            await next(context);
            return;
        }

        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status403Forbidden,
                    Type = ProblemType,
                    Title = ProblemTitle,
                    Detail = $"This workspace requires a second factor. Set one up at {SetupPath}, then try again.",
                },
            });
            return;
        }

        // Back here afterwards; a form posted before enrolment is not replayed, so only GETs keep their query.
        var returnUrl = context.Request.PathBase + context.Request.Path
            + (HttpMethods.IsGet(context.Request.Method) ? context.Request.QueryString : QueryString.Empty);
        context.Response.Redirect($"{SetupPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
    }
}
