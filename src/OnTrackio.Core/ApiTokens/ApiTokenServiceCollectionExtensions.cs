using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.ApiTokens;

public static class ApiTokenServiceCollectionExtensions
{
    /// <summary>
    /// API tokens: bearer authentication beside the session cookie, the operations, and the daily sweep of unused tokens.
    /// Call after <c>AddWorkspaceIdentity</c>: this makes the selecting scheme the default in place of the session cookie.
    /// </summary>
    public static IServiceCollection AddApiTokens(this IServiceCollection services)
    {
        services.AddOptions<ApiTokenOptions>().BindConfiguration(ApiTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(ApiTokenAuthentication.SelectingScheme)
            .AddPolicyScheme(ApiTokenAuthentication.SelectingScheme, null, options => options.ForwardDefaultSelector = ApiTokenAuthentication.Select)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthentication.Scheme, null);
        services.AddSingleton<ApiTokenUses>();
        services.AddScoped<AuthenticateApiToken>();
        services.AddScoped<ApiTokenQueries>();
        services.AddScoped<CreateApiToken>();
        services.AddScoped<RevokeApiToken>();
        services.AddScoped<ChangeApiTokenPolicy>();
        services.AddScoped<RevokeUnusedApiTokens>();
        services.AddHostedService<ApiTokenSweepService>();
        return services;
    }
}
