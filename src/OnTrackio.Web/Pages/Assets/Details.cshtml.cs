using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.Documents;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Documents;

namespace OnTrackio.Web.Pages.Assets;

/// <summary>One asset with its timeline; check-out, check-in, delete and restore need assets.manage.</summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class AssetDetailsModel(
    AssetQueries queries, ListReferenceItems reference, PeopleQueries people, DocumentQueries documents, IAuthorizationService authorization) : PageModel
{
    public AssetView Asset { get; private set; } = null!;

    public IReadOnlyList<AssetHistoryView> History { get; private set; } = [];

    public IReadOnlyList<PersonView> People { get; private set; } = [];

    public AssetChoices Choices { get; private set; } = AssetChoices.Empty;

    [BindProperty]
    public CheckOutInput CheckOut { get; set; } = new();

    public bool CanManage { get; private set; }

    /// <summary>The documents panel, for those who may read documents.</summary>
    public DocumentPanel? Documents { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    [RequiresPermission(Permissions.AssetsManage)]
    public Task<IActionResult> OnPostCheckOutAsync(Guid id, [FromServices] CheckOutAsset checkOut, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => checkOut.ExecuteAsync(id, CheckOut, cancellationToken), "Checked out.", cancellationToken);

    [RequiresPermission(Permissions.AssetsManage)]
    public Task<IActionResult> OnPostCheckInAsync(Guid id, string? note, [FromServices] CheckInAsset checkIn, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => checkIn.ExecuteAsync(id, note, cancellationToken), "Checked in.", cancellationToken);

    [RequiresPermission(Permissions.AssetsManage)]
    public Task<IActionResult> OnPostDeleteAsync(Guid id, [FromServices] DeleteAsset delete, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => delete.ExecuteAsync(id, expectedVersion: null, cancellationToken), "Deleted; it can be restored from here.", cancellationToken);

    [RequiresPermission(Permissions.AssetsManage)]
    public Task<IActionResult> OnPostRestoreAsync(Guid id, [FromServices] RestoreAsset restore, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => restore.ExecuteAsync(id, cancellationToken), "Restored.", cancellationToken);

    /// <summary>Runs a change, then redirects here (a reload does not repeat it), or shows the refusal with what was submitted.</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task> change, string done, CancellationToken cancellationToken)
    {
        try
        {
            await change();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            var page = await ShowAsync(id, cancellationToken);
            (Response.StatusCode, Error) = refusal;
            return page;
        }

        Notice = done;
        return Redirect($"/assets/{id}");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        var asset = await queries.FindAsync(id, cancellationToken);
        if (asset is null)
        {
            return NotFound();
        }

        Asset = asset;
        History = await queries.HistoryAsync(id, cancellationToken);
        Documents = await DocumentPanel.LoadAsync(
            documents, authorization, User, new DocumentTarget(DocumentTargetKind.Asset, id), Request.Query["deleted"] == "True", cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.AssetsManage)).Succeeded;
        if (CanManage)
        {
            People = await AssetChoices.PeopleAsync(people, cancellationToken);
            Choices = await AssetChoices.LoadAsync(reference, cancellationToken);
        }

        return Page();
    }
}
