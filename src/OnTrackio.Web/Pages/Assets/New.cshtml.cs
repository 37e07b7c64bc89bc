using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

[Authorize(Policy = Permissions.AssetsManage)]
public sealed class NewAssetModel(ListReferenceItems reference) : PageModel
{
    [BindProperty]
    public AssetInput Input { get; set; } = new() { StatusLabelId = ReferenceDefaults.ReadyToDeploy };

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Choices = await AssetChoices.LoadAsync(reference, cancellationToken);

    public async Task<IActionResult> OnPostAsync([FromServices] CreateAsset create, CancellationToken cancellationToken)
    {
        try
        {
            var asset = await create.ExecuteAsync(Input, cancellationToken);
            return Redirect($"/assets/{asset.Id}");
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
        }

        // Whatever was typed comes back, with the reasons, so nothing has to be typed twice.
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        return Page();
    }
}
