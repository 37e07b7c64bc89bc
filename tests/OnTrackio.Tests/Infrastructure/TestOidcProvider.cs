using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>Who the provider signs in for one authorization request; <see cref="EmailVerified"/> null leaves the claim out.</summary>
public sealed record TestOidcUser(string Subject, string Email, bool? EmailVerified = true);

/// <summary>
/// A real OpenID Connect provider (OpenIddict) on a loopback port: discovery, signing keys, the authorization endpoint
/// and the token endpoint, with authorization code + PKCE and one registered confidential client. It runs in degraded
/// mode (no database), so the checks a store would make — client id, secret, redirect URIs — are made here by hand.
/// The authorization endpoint signs in at once whoever the test names in extra query parameters, as a person would by
/// signing in at their provider.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "ontrackio-test";
    public const string ClientSecret = "a client secret only this test provider knows";

    private const string SubjectParameter = "test_sub";
    private const string EmailParameter = "test_email";
    private const string VerifiedParameter = "test_email_verified";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _redirectUris;
    private int _tokenRequests;

    private TestOidcProvider(WebApplication app, ConcurrentDictionary<string, bool> redirectUris, Uri issuer)
    {
        _app = app;
        _redirectUris = redirectUris;
        Issuer = issuer;
        Browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
    }

    public Uri Issuer { get; }

    /// <summary>The browser's side of the provider: no cookies are needed, sign-in is automatic.</summary>
    public HttpClient Browser { get; }

    /// <summary>Token requests that OpenIddict accepted (the client authenticated and the code was good).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public static async Task<TestOidcProvider> StartAsync()
    {
        var redirectUris = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        TestOidcProvider? provider = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.EnableDegradedMode();
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();

            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri is null || !redirectUris.ContainsKey(context.RedirectUri))
                {
                    context.Reject(Errors.InvalidRequest, "Unregistered redirect_uri.");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Client authentication failed.");
                }
                else
                {
                    Interlocked.Increment(ref provider!._tokenRequests);
                }

                return default;
            }));
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/connect/authorize", (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, (string?)request[SubjectParameter]);
            identity.SetClaim(Claims.Email, (string?)request[EmailParameter]);
            if ((string?)request[VerifiedParameter] is { } verified)
            {
                identity.AddClaim(new Claim(Claims.EmailVerified, verified, ClaimValueTypes.Boolean));
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(static _ => [Destinations.AccessToken, Destinations.IdentityToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        provider = new TestOidcProvider(app, redirectUris, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    /// <summary>Registers a redirect URI for the client, as an admin does at their provider.</summary>
    public void AllowRedirectUri(string uri) => _redirectUris[uri] = true;

    /// <summary>
    /// Opens the authorization request the workspace redirected to, signing in <paramref name="user"/>, and returns
    /// where the provider sends the browser back (the workspace's callback, with the code and state).
    /// </summary>
    public async Task<Uri> AuthorizeAsync(Uri authorizationRequest, TestOidcUser user)
    {
        ArgumentNullException.ThrowIfNull(authorizationRequest);
        ArgumentNullException.ThrowIfNull(user);
        Assert.Equal(Issuer.Authority, authorizationRequest.Authority);
        var parameters = new Dictionary<string, string?> { [SubjectParameter] = user.Subject, [EmailParameter] = user.Email };
        if (user.EmailVerified is { } verified)
        {
            parameters[VerifiedParameter] = verified ? "true" : "false";
        }

        using var response = await Browser.GetAsync(new Uri(QueryHelpers.AddQueryString(authorizationRequest.AbsoluteUri, parameters)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"authorize: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!;
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
