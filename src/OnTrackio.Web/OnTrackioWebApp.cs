using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using OnTrackio.ApiTokens;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Dashboard;
using OnTrackio.Documents;
using OnTrackio.Hosting;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Identity.Sso;
using OnTrackio.Labels;
using OnTrackio.Importing;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.Webhooks;
using OnTrackio.Web.Endpoints;
using Scalar.AspNetCore;

namespace OnTrackio.Web;

/// <summary>Builds the web host. Tests call this with their own configuration; <c>Program</c> calls it with none.</summary>
public static class OnTrackioWebApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Named explicitly so that pages are found in this assembly even when a test runner is the entry assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(OnTrackioWebApp).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);

        builder.Services.AddOnTrackioPlatform();
        builder.Services.AddWorkspaceIdentity();
        builder.Services.AddApiTokens();
        builder.Services.AddAssetRegister();
        builder.Services.AddOpenApi();
        builder.Services.AddAuditLog();
        builder.Services.AddAssetLabels();
        builder.Services.AddDashboard();
        builder.Services.AddImports();
        builder.Services.AddWebhooks();
        builder.Services.AddObjectStorage();
        builder.Services.AddDocuments();
        builder.Services.AddAuthorization();
        builder.Services.AddRateLimiter(SignInRateLimit.Configure);
        builder.Services.AddApiTokenRateLimits();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddRazorPages().AddMvcOptions(options => { options.Filters.Add<HandlerPermissionFilter>(); options.Filters.Add<PageErrorFilter>(); });
        builder.Services.AddHealthChecks().AddCheck<CatalogHealthCheck>("catalog", tags: [CatalogHealthCheck.ReadyTag]);
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        var proxies = builder.Configuration.GetSection(TenancyOptions.Section).Get<TenancyOptions>()?.KnownProxies ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Forwarded headers count only from the proxies named in configuration; the framework's default of
            // trusting loopback is dropped, because a spoofed X-Forwarded-Host would otherwise pick the workspace.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });

        var app = builder.Build();
        if (proxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }


        // An error without a body gets one: a page (same status code) for people, a problem document from the API.
        // A page whose operation refuses (not found, conflict) answers the status through PageErrorFilter.
        app.UseWhen(context => !ProblemExceptionHandler.IsApi(context), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseExceptionHandler();
        app.UseWhen(ProblemExceptionHandler.IsApi, api => api.UseStatusCodePages());
        app.UseHsts();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<TransportSecurityMiddleware>();
        app.UseMiddleware<HostResolutionMiddleware>();
        app.UseWorkspaceSso();

        // Everything below runs with the workspace fixed: cookies, sessions and limits are per workspace.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequireMfaEnrolmentMiddleware>();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapPlatformEndpoints();
        app.MapWorkspaceApi();
        app.MapRegisterApi();

        // The document describes the routes of a workspace's API, so only someone signed in to the workspace reads it:
        // an anonymous visitor of a host learns nothing, and the document costs nothing to hide.
        app.MapOpenApi().RequireAuthorization();

        // The interactive reference of that document, under the same rule. Its script is bundled in the package and
        // served from here; no font or telemetry is fetched from elsewhere.
        app.MapScalarApiReference("/api-reference", options =>
        {
            options.Title = "OnTrackio API";
            options.DefaultFonts = false;
            options.Telemetry = false;
        }).RequireAuthorization();
        app.MapExportApi();
        app.MapAuditApi();
        app.MapCustomFieldApi();
        app.MapImportApi();
        app.MapTokenApi();
        app.MapWebhookApi();
        app.MapObjectEndpoints();
        app.MapDocumentApi();
        app.MapRazorPages();
        return app;
    }
}
