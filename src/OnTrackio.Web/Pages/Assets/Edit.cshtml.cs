using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>
/// Edits an asset over the version the form was loaded with (a hidden field): if someone saved in between, the save is
/// refused with a message and the typed values stay on screen, rather than one edit silently erasing the other.
/// </summary>
[Authorize(Policy = Permissions.AssetsManage)]
public sealed class EditAssetModel(AssetQueries queries, ListReferenceItems reference) : PageModel
{
    [BindProperty]
    public AssetInput Input { get; set; } = new();

    [BindProperty]
    public long Version { get; set; }

    public Guid Id { get; private set; }

    public string Tag { get; private set; } = string.Empty;

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    public string? Error { get; private set; }

    public bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var asset = await queries.FindAsync(id, cancellationToken);
        if (asset is null)
        {
            return NotFound();
        }

        (Id, Tag, Version, Input) = (asset.Id, asset.Tag, asset.Version, AssetInput.From(asset));
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        return Page();
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

        (Id, Tag) = (asset.Id, asset.Tag);
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        return Page();
    }
}
