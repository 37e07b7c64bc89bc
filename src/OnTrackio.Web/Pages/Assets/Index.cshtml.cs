using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>The asset list: the same filters and keyset cursor as <c>GET /api/v1/assets</c>.</summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class AssetsModel(AssetQueries queries, ListReferenceItems reference, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AssetFilter Filter { get; set; } = new();

    /// <summary>CSV of every asset these filters match.</summary>
    public string ExportUrl { get; private set; } = "/api/v1/assets/export.csv";

    public AssetPage Results { get; private set; } = new([], null);

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    public bool CanManage { get; private set; }

    public string? NextPageUrl { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.AssetsManage)).Succeeded;
        try
        {
            Results = await queries.ListAsync(Filter, cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = ex.Message;
        }

        // The same filters from the first row on: an export is of the list, not of the page on screen.
        var filters = Request.Query.Where(q => q.Key is not ("cursor" or "limit")).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        ExportUrl = QueryHelpers.AddQueryString("/api/v1/assets/export.csv", filters);
        if (Results.NextCursor is { } cursor)
        {
            var next = Request.Query.Where(q => q.Key != "cursor").ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
            next["cursor"] = cursor;
            NextPageUrl = QueryHelpers.AddQueryString("/assets", next);
        }
    }
}
