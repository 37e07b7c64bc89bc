using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using OnTrackio.ApiTokens;
using OnTrackio.Identity;

namespace OnTrackio.Web.Endpoints;

/// <summary>The token a request was made with, and what it may do on this request.</summary>
public sealed record CurrentApiToken(ApiTokenView Token, IReadOnlyList<string> Permissions);

/// <summary>
/// <c>/api/v1/tokens</c>: everyone signed in lists, creates and revokes their own tokens; tokens.read lists every token
/// (<c>?all=true</c>); tokens.manage creates service tokens, revokes anyone's and sets the longest lifetime.
/// </summary>
/// <remarks>
/// Managing tokens takes a session: a token cannot mint, list or revoke tokens, so a leaked one cannot make itself a
/// successor that outlives its revocation. A token may read itself and give itself up at <c>/current</c>.
/// </remarks>
internal static class TokenApi
{
    public static void MapTokenApi(this WebApplication app)
    {
        var tokens = app.MapGroup("/api/v1/tokens").WithTags("API tokens").RequireAuthorization();

        tokens.MapGet("/current", async (ClaimsPrincipal principal, ApiTokenQueries queries, CancellationToken cancellationToken) =>
        {
            var actor = ApiTokenPrincipal.Actor(principal) ?? throw new NotFoundException("This request was not made with an API token.");
            return TypedResults.Ok(new CurrentApiToken(
                await queries.GetAsync(actor.TokenId, cancellationToken),
                [.. principal.FindAll(ApiTokenPrincipal.PermissionClaim).Select(c => c.Value)]));
        });

        tokens.MapDelete("/current", async (ClaimsPrincipal principal, RevokeApiToken revoke, CancellationToken cancellationToken) =>
        {
            var actor = ApiTokenPrincipal.Actor(principal) ?? throw new NotFoundException("This request was not made with an API token.");
            await revoke.ExecuteAsync(actor.TokenId, userId: null, mayRevokeAny: true, cancellationToken);
            return TypedResults.NoContent();
        });

        tokens.MapGet("/", async (bool? all, ClaimsPrincipal principal, ApiTokenQueries queries, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            if (all == true)
            {
                return (await authorization.AuthorizeAsync(principal, Permissions.TokensRead)).Succeeded
                    ? Results.Ok(await queries.AllAsync(cancellationToken))
                    : Results.Forbid();
            }

            return Results.Ok(await queries.OwnedByAsync(UserId(principal), cancellationToken));
        }).SessionsOnly();

        tokens.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal principal, ApiTokenQueries queries, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var token = await queries.GetAsync(id, cancellationToken);
            return token.OwnerId == UserId(principal) || (await authorization.AuthorizeAsync(principal, Permissions.TokensRead)).Succeeded
                ? Results.Ok(token)
                : throw new NotFoundException("This workspace has no API token with that id.");
        }).SessionsOnly();

        tokens.MapPost("/", async (
            CreateApiTokenRequest request, ClaimsPrincipal principal, CreateApiToken create, IAuthorizationService authorization, HttpContext http,
            CancellationToken cancellationToken) =>
        {
            var mayCreateService = (await authorization.AuthorizeAsync(principal, Permissions.TokensManage)).Succeeded;
            if (request.Service && !mayCreateService)
            {
                return Results.Forbid();
            }

            var created = await create.ExecuteAsync(request, UserId(principal), mayCreateService, cancellationToken);

            // The answer carries the only copy of the token.
            http.Response.Headers.CacheControl = "no-store";
            return Results.Created($"/api/v1/tokens/{created.Details.Id}", created);
        }).SessionsOnly();

        tokens.MapDelete("/{id:guid}", async (
            Guid id, ClaimsPrincipal principal, RevokeApiToken revoke, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var mayRevokeAny = (await authorization.AuthorizeAsync(principal, Permissions.TokensManage)).Succeeded;
            await revoke.ExecuteAsync(id, UserId(principal), mayRevokeAny, cancellationToken);
            return TypedResults.NoContent();
        }).SessionsOnly();

        tokens.MapGet("/policy", async (ApiTokenQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(new ApiTokenPolicyView(await queries.MaxLifetimeDaysAsync(cancellationToken)))).SessionsOnly();

        tokens.MapPut("/policy", async (ApiTokenPolicyView policy, ChangeApiTokenPolicy change, ApiTokenQueries queries, CancellationToken cancellationToken) =>
        {
            await change.ExecuteAsync(policy.MaxLifetimeDays, cancellationToken);
            return TypedResults.Ok(new ApiTokenPolicyView(await queries.MaxLifetimeDaysAsync(cancellationToken)));
        }).RequireAuthorization(Permissions.TokensManage).SessionsOnly();
    }

    private static RouteHandlerBuilder SessionsOnly(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(async (context, next) => ApiTokenPrincipal.Is(context.HttpContext.User)
            ? Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: "An API token cannot list, create or revoke tokens, nor change their policy: sign in to the workspace for that. " +
                    "A token can read itself at /api/v1/tokens/current, and revoke itself there with DELETE.")
            : await next(context));

    /// <summary>The signed-in person; every endpoint here is a session's, so the claim is there.</summary>
    private static Guid UserId(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : throw new InvalidOperationException("A session without a user id.");
}
