using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.ApiTokens;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// API tokens: everyone creates (shown once), lists and revokes their own; tokens.read sees every token of the
/// workspace, service tokens included; tokens.manage creates service tokens, revokes anyone's and sets the longest
/// lifetime a token may have.
/// </summary>
[Authorize]
public sealed class TokensModel(ApiTokenQueries queries, IAuthorizationService authorization) : PageModel
{
    public const int DefaultDays = 90;

    public IReadOnlyList<ApiTokenView> Mine { get; private set; } = [];

    public IReadOnlyList<ApiTokenView> Everyone { get; private set; } = [];

    public bool CanReadAll { get; private set; }

    public bool CanManage { get; private set; }

    public int MaxLifetimeDays { get; private set; }

    /// <summary>The scopes this person's role allows (or, with tokens.manage, a service token's); others are not offered.</summary>
    public IReadOnlyList<ApiTokenScope> OfferedScopes { get; private set; } = [];

    public IReadOnlyList<ApiTokenScope> ServiceScopes { get; private set; } = [];

    /// <summary>The new token, shown this once; the page is then not cached.</summary>
    public CreatedApiToken? Created { get; private set; }

    public string? Name { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public string? ExpiresInDays { get; private set; }

    public bool Service { get; private set; }

    public string? Error { get; private set; }

    public string? PolicyError { get; private set; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(
        string? name, List<string>? scopes, string? expiresInDays, bool service, [FromServices] CreateApiToken create, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        (Name, Scopes, ExpiresInDays, Service) = (name, scopes ?? [], expiresInDays, service);
        if (service && !CanManage)
        {
            return Forbid();
        }

        int? days = string.IsNullOrWhiteSpace(expiresInDays) ? null
            : int.TryParse(expiresInDays, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        try
        {
            Created = await create.ExecuteAsync(new CreateApiTokenRequest(name, scopes, days, service), UserId, CanManage, cancellationToken);
            (Name, Scopes, ExpiresInDays, Service) = (null, [], null, false);
            await LoadAsync(cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            (Error, FieldErrors) = (ex.Message, ex.FieldErrors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // The page may carry the only copy of a token: no cache, no Referer.
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id, [FromServices] RevokeApiToken revoke, CancellationToken cancellationToken)
    {
        var mayRevokeAny = (await authorization.AuthorizeAsync(User, Permissions.TokensManage)).Succeeded;
        await revoke.ExecuteAsync(id, UserId, mayRevokeAny, cancellationToken);
        Notice = "Token revoked: it is refused from now on.";
        return RedirectToPage();
    }

    [RequiresPermission(Permissions.TokensManage)]
    public async Task<IActionResult> OnPostPolicyAsync(string? maxLifetimeDays, [FromServices] ChangeApiTokenPolicy change, CancellationToken cancellationToken)
    {
        try
        {
            int? days = int.TryParse(maxLifetimeDays, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            await change.ExecuteAsync(days, cancellationToken);
            Notice = $"New tokens may now live at most {days} days.";
            return RedirectToPage();
        }
        catch (OperationRefusedException ex)
        {
            PolicyError = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        CanReadAll = (await authorization.AuthorizeAsync(User, Permissions.TokensRead)).Succeeded;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.TokensManage)).Succeeded;
        MaxLifetimeDays = await queries.MaxLifetimeDaysAsync(cancellationToken);
        var roles = User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
        OfferedScopes = [.. ApiTokenScopes.All.Where(s => ApiTokenScopes.IsWithin(s, roles))];
        ServiceScopes = CanManage ? [.. ApiTokenScopes.All.Where(s => ApiTokenScopes.IsWithin(s, ApiTokenScopes.ServiceTokenRoles))] : [];
        Mine = await queries.OwnedByAsync(UserId, cancellationToken);
        Everyone = CanReadAll ? await queries.AllAsync(cancellationToken) : [];
    }
}
