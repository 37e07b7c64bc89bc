using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace OnTrackio.ApiTokens;

/// <summary>
/// Bearer authentication with API tokens, for the API only. A request to <c>/api</c> that carries an
/// <c>Authorization</c> header is authenticated by its token and nothing else (its cookies are not read); every other
/// request by the session cookie. The token is read from that header only: never from the query string, a form or a
/// cookie, where URLs, logs and browsers would keep it.
/// </summary>
public static class ApiTokenAuthentication
{
    public const string Scheme = "ApiToken";

    /// <summary>The default scheme: picks the token or the session for each request.</summary>
    public const string SelectingScheme = "Workspace";

    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Headers.ContainsKey(HeaderNames.Authorization)
            && context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                ? Scheme
                : IdentityConstants.ApplicationScheme;
    }
}

/// <summary>
/// Reads <c>Authorization: Bearer otk_…</c>: the format and checksum first (a typo or a forgery goes no further, no
/// database is opened), then <see cref="AuthenticateApiToken"/>. A request whose token is refused is answered 401 at
/// once, even on an endpoint open to anonymous callers, so a bad token never passes for no token.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder), IAuthenticationRequestHandler
{
    private const string BearerPrefix = "Bearer ";

    public async Task<bool> HandleRequestAsync()
    {
        if (ApiTokenAuthentication.Select(Context) != Scheme.Name || (await AuthenticateAsync()).Succeeded)
        {
            return false;
        }

        await ChallengeAsync(new AuthenticationProperties());
        return true;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Send the API token in the Authorization header as \"Bearer otk_…\".");
        }

        if (!ApiTokenFormat.TryParse(value.AsSpan(BearerPrefix.Length).Trim(), out var id, out var secret))
        {
            return AuthenticateResult.Fail("This is not an OnTrackio API token: its format or checksum is wrong.");
        }

        // Tokens live in a workspace's database; a host that names no workspace has none to check against.
        if (!Context.RequestServices.GetRequiredService<Tenancy.WorkspaceContext>().IsResolved)
        {
            return AuthenticateResult.Fail(AuthenticateApiToken.NotValid);
        }

        var check = await Context.RequestServices.GetRequiredService<AuthenticateApiToken>()
            .ExecuteAsync(id, secret, RequestOrigin.Of(Context).IpAddress, Context.RequestAborted);
        return check.Principal is null
            ? AuthenticateResult.Fail(check.Failure ?? AuthenticateApiToken.NotValid)
            : AuthenticateResult.Success(new AuthenticationTicket(check.Principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"OnTrackio\", error=\"invalid_token\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", result.Failure?.Message ?? AuthenticateApiToken.NotValid);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"OnTrackio\", error=\"insufficient_scope\"";
        return WriteProblemAsync(
            StatusCodes.Status403Forbidden,
            "Forbidden",
            "This token may not do this: a token can do what its scopes allow and its owner's current role allows, no more.");
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
}
