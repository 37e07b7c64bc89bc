using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using OnTrackio.Audit;
using OnTrackio.Encryption;
using OnTrackio.Outbound;
using OnTrackio.Secrets;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity.Sso;

/// <summary>
/// The OpenID Connect handler's options, per workspace. The framework keeps one options object per scheme for the
/// whole process; here each workspace gets its own — authority, client, secret, metadata cache — built from its
/// <see cref="SsoConfiguration"/> and cached per (workspace, revision), so a saved change is picked up by every host at
/// the next sign-in. Building needs the database, which <see cref="IOptionsMonitor{T}.Get"/> cannot await: the
/// <c>UseWorkspaceSso</c> middleware loads the options for requests under <see cref="SsoScheme.PathPrefix"/>, and
/// every other request (and every workspace without SSO) gets options that refuse to start or accept a sign-in.
/// </summary>
public sealed class SsoHandlerOptions : IOptionsMonitor<OpenIdConnectOptions>, IDisposable
{
    private readonly ConcurrentDictionary<Guid, (int Revision, OpenIdConnectOptions Options)> _byWorkspace = new();
    private readonly IDataProtectionProvider _protection;
    private readonly IOptions<SsoOptions> _platform;
    private readonly IHttpContextAccessor _accessor;
    private readonly TimeProvider _time;
    private readonly ILogger<SsoHandlerOptions> _logger;
    private readonly HttpClient _backchannel;
    private readonly OpenIdConnectOptions _unavailable;

    public SsoHandlerOptions(
        IDataProtectionProvider protection, IOptions<SsoOptions> platform, IHttpContextAccessor accessor, TimeProvider time, ILogger<SsoHandlerOptions> logger)
    {
        _protection = protection;
        _platform = platform;
        _accessor = accessor;
        _time = time;
        _logger = logger;

        // One client for every workspace's metadata, keys and token requests. Redirects are not followed at all: a
        // provider's endpoints answer directly, and a redirect is the usual way to bounce a request to another host.
        // The authority is an admin's input, so the client connects only to public addresses it resolved and checked.
        _backchannel = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = PublicAddresses.ConnectGuarded(allowLoopback: platform.Value.AllowLoopbackHttpAuthority),
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = 1024 * 1024,
        };
        _backchannel.DefaultRequestHeaders.UserAgent.ParseAdd("OnTrackio-SSO/1");
        _unavailable = BuildUnavailable();
    }

    public OpenIdConnectOptions CurrentValue => Get(Options.DefaultName);

    /// <summary>This host has one OpenID Connect scheme, so the name is not needed to choose: the request's workspace is.</summary>
    public OpenIdConnectOptions Get(string? name) => ForRequest(_accessor.HttpContext) ?? _unavailable;

    public IDisposable? OnChange(Action<OpenIdConnectOptions, string?> listener) => null;

    /// <summary>The options loaded for this request, or null when SSO is not usable in its workspace.</summary>
    public static OpenIdConnectOptions? ForRequest(HttpContext? context) => context?.Features.Get<Loaded>()?.Options;

    /// <summary>Loads the request's workspace options (run by the middleware before authentication).</summary>
    public async Task LoadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.RequestServices;
        var workspace = services.GetRequiredService<WorkspaceContext>();
        if (!workspace.IsResolved || !context.Request.Path.StartsWithSegments(SsoScheme.PathPrefix))
        {
            return;
        }

        var configuration = await services.GetRequiredService<SsoPolicy>().ConfigurationAsync(context.RequestAborted);
        if (configuration is not { Enabled: true })
        {
            return;
        }

        var workspaceId = workspace.Current.Id;
        if (_byWorkspace.TryGetValue(workspaceId, out var cached) && cached.Revision == configuration.Revision)
        {
            context.Features.Set(new Loaded(cached.Options));
            return;
        }

        if (!SsoAuthority.TryParse(configuration.Authority, _platform.Value.AllowLoopbackHttpAuthority, out var authority, out var refusal))
        {
            _logger.LogWarning("Single sign-on of workspace {WorkspaceId} is unusable: {Reason}", workspaceId, refusal);
            return;
        }

        string? secret;
        try
        {
            secret = await services.GetRequiredService<WorkspaceSecrets>().GetAsync(SsoConfiguration.ClientSecretName, context.RequestAborted);
        }
        catch (FieldDecryptionException)
        {
            secret = null;
        }

        if (string.IsNullOrEmpty(secret))
        {
            _logger.LogWarning("Single sign-on of workspace {WorkspaceId} is unusable: its client secret is missing or does not decrypt", workspaceId);
            return;
        }

        var options = Build(workspaceId, configuration, authority, secret);
        _byWorkspace[workspaceId] = (configuration.Revision, options);
        context.Features.Set(new Loaded(options));
    }

    public void Dispose() => _backchannel.Dispose();

    private OpenIdConnectOptions Build(Guid workspaceId, SsoConfiguration configuration, Uri authority, string secret)
    {
        var options = Common();
        options.Authority = authority.AbsoluteUri;
        options.RequireHttpsMetadata = authority.Scheme == Uri.UriSchemeHttps;
        options.ClientId = configuration.ClientId;
        options.ClientSecret = secret;

        // State, nonce and the external cookie's ticket are protected under a purpose naming the workspace: a flow
        // started at workspace A cannot be finished at B's host even when both use the same provider and client.
        options.DataProtectionProvider = _protection.CreateProtector("OnTrackio.Identity.Sso", workspaceId.ToString("N"));
        options.Events = new OpenIdConnectEvents { OnRemoteFailure = RefuseAsync };
        new OpenIdConnectPostConfigureOptions(_protection).PostConfigure(SsoScheme.Name, options);
        options.Validate(SsoScheme.Name);
        return options;
    }

    /// <summary>Options for workspaces without usable SSO: a challenge or a callback is answered 404, nothing else runs.</summary>
    private OpenIdConnectOptions BuildUnavailable()
    {
        var options = Common();
        options.ClientId = "unavailable";
        options.Configuration = new OpenIdConnectConfiguration();
        options.DataProtectionProvider = _protection.CreateProtector("OnTrackio.Identity.Sso", "unavailable");
        options.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context => NotHere(context, context.HandleResponse),
            OnMessageReceived = context => NotHere(context, context.HandleResponse),
        };
        new OpenIdConnectPostConfigureOptions(_protection).PostConfigure(SsoScheme.Name, options);
        options.Validate(SsoScheme.Name);
        return options;
    }

    private OpenIdConnectOptions Common()
    {
        var options = new OpenIdConnectOptions
        {
            ResponseType = OpenIdConnectResponseType.Code,

            // The code comes back in the query of a top-level GET, which carries SameSite=Lax cookies; form_post would
            // need SameSite=None cookies, which browsers refuse on the plain-HTTP loopback hosts.
            ResponseMode = OpenIdConnectResponseMode.Query,
            UsePkce = true,
            CallbackPath = SsoScheme.CallbackPath,

            // Provider-initiated sign-out is not offered: nothing but the callback is served by this handler.
            RemoteSignOutPath = PathString.Empty,
            SignedOutCallbackPath = PathString.Empty,
            SignInScheme = IdentityConstants.ExternalScheme,
            MapInboundClaims = false,
            SaveTokens = false,
            GetClaimsFromUserInfoEndpoint = false,
            Backchannel = _backchannel,
            TimeProvider = _time,
        };
        options.Scope.Add("email");
        foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
        }

        return options;
    }

    private static Task NotHere(BaseContext<OpenIdConnectOptions> context, Action handled)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        handled();
        return Task.CompletedTask;
    }

    /// <summary>A callback that fails (bad state, a flow from another workspace, a provider error) ends on a page that says so.</summary>
    private static async Task RefuseAsync(RemoteFailureContext context)
    {
        var reason = context.Failure?.Message ?? "unknown";
        await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(
            AuditEventType.SsoSignInRefused, null, null, "callback refused: " + reason[..Math.Min(reason.Length, 200)], context.HttpContext.RequestAborted);
        context.Response.Redirect(SsoScheme.CompletePath + "?failed=1");
        context.HandleResponse();
    }

    private sealed record Loaded(OpenIdConnectOptions Options);
}
