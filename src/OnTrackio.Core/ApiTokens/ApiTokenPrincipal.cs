using System.Security.Claims;

namespace OnTrackio.ApiTokens;

/// <summary>Who acts when a request comes with an API token: the token, for its owner or for the workspace.</summary>
public sealed record ApiTokenActor(Guid TokenId, string Label, Guid? OwnerUserId)
{
    /// <summary>The audit log's actor type: "token" for a personal token, "service_token" for a service token.</summary>
    public string ActorType => OwnerUserId is null ? ServiceTokenActorType : TokenActorType;

    public const string TokenActorType = "token";
    public const string ServiceTokenActorType = "service_token";
}

/// <summary>
/// The principal an API token authenticates as. It has no role claims and no user id claim, on purpose: code that
/// reads roles or "the signed-in user" finds nothing and refuses, instead of acting as the owner unseen. Permissions
/// come as claims computed on each request (<see cref="Identity.Permissions.IsGranted(string, ClaimsPrincipal)"/>).
/// </summary>
public static class ApiTokenPrincipal
{
    public const string TokenIdClaim = "ontrackio:token_id";
    public const string OwnerClaim = "ontrackio:token_owner";
    public const string PermissionClaim = "ontrackio:permission";

    public static bool Is(ClaimsPrincipal? principal) =>
        principal?.Identity is { IsAuthenticated: true, AuthenticationType: ApiTokenAuthentication.Scheme };

    public static ClaimsPrincipal Create(ApiTokenActor actor, IEnumerable<string> permissions)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var identity = new ClaimsIdentity(ApiTokenAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, actor.Label));
        identity.AddClaim(new Claim(TokenIdClaim, actor.TokenId.ToString()));
        if (actor.OwnerUserId is { } owner)
        {
            identity.AddClaim(new Claim(OwnerClaim, owner.ToString()));
        }

        foreach (var permission in permissions)
        {
            identity.AddClaim(new Claim(PermissionClaim, permission));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The token acting on this request, or null when the request was not made with a token.</summary>
    public static ApiTokenActor? Actor(ClaimsPrincipal? principal)
    {
        if (!Is(principal) || !Guid.TryParse(principal!.FindFirst(TokenIdClaim)?.Value, out var tokenId))
        {
            return null;
        }

        var owner = Guid.TryParse(principal.FindFirst(OwnerClaim)?.Value, out var id) ? id : (Guid?)null;
        return new ApiTokenActor(tokenId, principal.Identity!.Name ?? tokenId.ToString(), owner);
    }

    /// <summary>How the audit log and the asset timeline name a token: its name and whose it is, within the column's 254 characters.</summary>
    public static string Label(string name, string? ownerEmail)
    {
        var label = ownerEmail is null ? $"service token \"{name}\"" : $"token \"{name}\" of {ownerEmail}";
        return label.Length <= 254 ? label : label[..254];
    }
}
