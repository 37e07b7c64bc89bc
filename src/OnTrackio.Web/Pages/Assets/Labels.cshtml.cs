using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Labels;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>
/// Before printing: how many labels the list (or the chosen assets) makes, on how many sheets, or why it cannot be
/// printed in one go; the download itself is <c>/assets/labels.pdf</c> with the same query.
/// </summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class AssetLabelsModel(PrintAssetLabels print) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AssetFilter Filter { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "id")]
    public List<Guid> Ids { get; set; } = [];

    public IReadOnlyList<AssetLabel> Labels { get; private set; } = [];

    public string PdfUrl { get; private set; } = "/assets/labels.pdf";

    public string BackUrl { get; private set; } = "/assets";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = Request.Query.Where(q => q.Key is not ("cursor" or "limit")).ToDictionary(q => q.Key, q => q.Value);
        PdfUrl = QueryHelpers.AddQueryString("/assets/labels.pdf", query);
        BackUrl = Ids.Count == 1 ? $"/assets/{Ids[0]}" : QueryHelpers.AddQueryString("/assets", query);
        try
        {
            Labels = Ids.Count > 0 ? await print.ForAssetsAsync(Ids, cancellationToken) : await print.ForFilterAsync(Filter.ReadCustomFields(Request.Query), cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = ex.Message;
        }

        return Page();
    }
}
