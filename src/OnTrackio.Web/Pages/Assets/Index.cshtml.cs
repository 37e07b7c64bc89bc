using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>The asset list: the same filters, order and keyset cursor as <c>GET /api/v1/assets</c>.</summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class AssetsModel(AssetQueries queries, ListReferenceItems reference, CustomFieldQueries customFields, IAuthorizationService authorization) : PageModel
{
    /// <summary>The orders the form offers, by the value of <c>sort</c>.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Sorts =
        [("tag", "Tag"), ("name", "Name"), ("warrantyEnd", "Warranty end"), ("purchaseDate", "Purchase date"), ("updatedAt", "Last changed")];

    [BindProperty(SupportsGet = true)]
    public AssetFilter Filter { get; set; } = new();

    /// <summary>CSV of every asset these filters match.</summary>
    public string ExportUrl { get; private set; } = "/api/v1/assets/export.csv";

    public AssetPage Results { get; private set; } = new([], null);

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    /// <summary>Every custom field, each a filter of the form.</summary>
    public IReadOnlyList<CustomField> CustomFields { get; private set; } = [];

    /// <summary>"Assets by name, Z to A": the table's caption says its order.</summary>
    public string Caption { get; private set; } = CaptionOf(null, false);

    public bool CanManage { get; private set; }

    public string? NextPageUrl { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        CustomFields = await customFields.AllFieldsAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.AssetsManage)).Succeeded;
        Caption = CaptionOf(Filter.Sort, string.Equals(Filter.Dir, "desc", StringComparison.OrdinalIgnoreCase));
        try
        {
            Results = await queries.ListAsync(Filter.ReadCustomFields(Request.Query), cancellationToken);
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

    private static string CaptionOf(string? sort, bool descending)
    {
        var key = Sorts.FirstOrDefault(s => string.Equals(s.Value, sort, StringComparison.OrdinalIgnoreCase)).Value ?? "tag";
        return key switch
        {
            "tag" => descending ? "Assets by tag, Z to A" : "Assets by tag, A to Z",
            "name" => (descending ? "Assets by name, Z to A" : "Assets by name, A to Z") + "; unnamed ones last",
            "updatedAt" => descending ? "Assets by last change, most recent first" : "Assets by last change, oldest first",
            _ => $"Assets by {(key == "warrantyEnd" ? "warranty end" : "purchase date")}, {(descending ? "latest first" : "earliest first")}; those without one last",
        };
    }
}
