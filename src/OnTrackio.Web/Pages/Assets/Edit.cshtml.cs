using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>
/// Edits an asset over the version the form was loaded with (a hidden field): if someone saved in between, the save is
/// refused with a message and the typed values stay on screen, rather than one edit silently erasing the other.
/// </summary>
[Authorize(Policy = Permissions.AssetsManage)]
public sealed class EditAssetModel(AssetQueries queries, ListReferenceItems reference, CustomFieldQueries customFields) : PageModel
{
    [BindProperty]
    public AssetInput Input { get; set; } = new();

    [BindProperty]
    public long Version { get; set; }

    public Guid Id { get; private set; }

    public string Tag { get; private set; } = string.Empty;

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    /// <summary>The custom fields of the chosen model's set.</summary>
    public IReadOnlyList<CustomField> Fields { get; private set; } = [];

    public string? Error { get; private set; }

    public bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var asset = await queries.FindAsync(id, cancellationToken);
        if (asset is null)
        {
            return NotFound();
        }

        (Version, Input) = (asset.Version, AssetInput.From(asset));
        return await ShowAsync(asset, cancellationToken);
    }

    /// <summary>Shows the form again with the fields of the model now chosen, and everything typed so far; saves nothing.</summary>
    public async Task<IActionResult> OnPostFieldsAsync(Guid id, CancellationToken cancellationToken)
    {
        var asset = await queries.FindAsync(id, cancellationToken);
        return asset is null ? NotFound() : await ShowAsync(asset, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] UpdateAsset update, CancellationToken cancellationToken)
    {
        var asset = await queries.FindAsync(id, cancellationToken);
        if (asset is null)
        {
            return NotFound();
        }

        try
        {
            await update.ExecuteAsync(id, Version, Input, cancellationToken);
            return Redirect($"/assets/{id}");
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
            Stale = ex is StaleVersionException;
        }

        return await ShowAsync(asset, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(AssetView asset, CancellationToken cancellationToken)
    {
        (Id, Tag) = (asset.Id, asset.Tag);
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        Fields = await customFields.FieldsForModelAsync(Input.ModelId, cancellationToken);
        return Page();
    }
}
