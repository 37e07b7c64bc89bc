using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Register;

namespace OnTrackio.Web.Pages.Assets;

[Authorize(Policy = Permissions.AssetsManage)]
public sealed class NewAssetModel(ListReferenceItems reference, CustomFieldQueries customFields) : PageModel
{
    [BindProperty]
    public AssetInput Input { get; set; } = new() { StatusLabelId = ReferenceDefaults.ReadyToDeploy };

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    /// <summary>The custom fields of the chosen model's set, shown under the built-in ones.</summary>
    public IReadOnlyList<CustomField> Fields { get; private set; } = [];

    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>Shows the form again with the fields of the model now chosen, and everything typed so far; saves nothing.</summary>
    public Task OnPostFieldsAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

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
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        Fields = await customFields.FieldsForModelAsync(Input.ModelId, cancellationToken);
    }
}
