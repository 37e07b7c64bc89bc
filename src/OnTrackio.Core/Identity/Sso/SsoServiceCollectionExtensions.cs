using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OnTrackio.Identity.Sso;

public static class SsoServiceCollectionExtensions
{
    /// <summary>OpenID Connect single sign-on, configured by each workspace's admins (<see cref="ConfigureSso"/>).</summary>
    public static IServiceCollection AddWorkspaceSso(this IServiceCollection services)
    {
        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.Section).ValidateOnStart();
        services.AddAuthentication().AddOpenIdConnect(SsoScheme.Name, SsoScheme.DisplayName, _ => { });

        // Replaces the framework's one-options-per-scheme monitor for this type: the options depend on the workspace.
        services.AddSingleton<SsoHandlerOptions>();
        services.AddSingleton<IOptionsMonitor<OpenIdConnectOptions>>(sp => sp.GetRequiredService<SsoHandlerOptions>());
        services.AddScoped<SsoPolicy>();
        services.AddScoped<ConfigureSso>();
        services.AddScoped<SsoSignIn>();
        return services;
    }

    /// <summary>Loads the workspace's handler options; goes after host resolution and before authentication.</summary>
    public static IApplicationBuilder UseWorkspaceSso(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await context.RequestServices.GetRequiredService<SsoHandlerOptions>().LoadAsync(context);
            await next(context);
        });
}
