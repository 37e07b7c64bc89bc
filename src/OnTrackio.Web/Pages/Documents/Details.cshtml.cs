using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Documents;
using OnTrackio.Identity;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.Documents;

/// <summary>One document with its versions: download any of them, replace, delete; for Admins restore, restore a version, purge.</summary>
[Authorize(Policy = Permissions.DocumentsRead)]
public sealed class DocumentDetailsModel(DocumentQueries queries, IAuthorizationService authorization) : PageModel
{
    public DocumentDetails Details { get; private set; } = null!;

    public bool CanManage { get; private set; }

    public bool CanAdminister { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    [RequiresPermission(Permissions.DocumentsManage)]
    public Task<IActionResult> OnPostDeleteAsync(Guid id, [FromServices] DeleteDocument delete, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => delete.ExecuteAsync(id, cancellationToken), "Deleted; an Admin can restore it.", cancellationToken);

    [RequiresPermission(Permissions.DocumentsAdminister)]
    public Task<IActionResult> OnPostRestoreAsync(Guid id, [FromServices] RestoreDocument restore, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => restore.ExecuteAsync(id, cancellationToken), "Restored.", cancellationToken);

    [RequiresPermission(Permissions.DocumentsAdminister)]
    public Task<IActionResult> OnPostRestoreVersionAsync(Guid id, int number, [FromServices] RestoreDocumentVersion restore, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => restore.ExecuteAsync(id, number, cancellationToken), $"Version {number} restored as the current version.", cancellationToken);

    [RequiresPermission(Permissions.DocumentsAdminister)]
    public async Task<IActionResult> OnPostPurgeAsync(Guid id, bool confirm, [FromServices] PurgeDocument purge, CancellationToken cancellationToken)
    {
        if (!confirm)
        {
            var page = await ShowAsync(id, cancellationToken);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = "Tick the box to confirm: purging removes every version for good.";
            return page;
        }

        var links = (await queries.GetAsync(id, includeDeleted: true, cancellationToken)).Document.Links;
        var back = links.Count > 0 ? links[0] : null;
        var result = await ChangeAsync(id, () => purge.ExecuteAsync(id, DocumentPurpose.Register, cancellationToken), "Purged.", cancellationToken);
        return result is RedirectResult && back is not null && DocumentTarget.TryParseKind(back.TargetKind, out var kind)
            ? Redirect(new DocumentTarget(kind, back.TargetId).PagePath)
            : result is RedirectResult ? Redirect("/") : result;
    }

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
        return Redirect($"/documents/{id}");
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.DocumentsManage)).Succeeded;
        CanAdminister = (await authorization.AuthorizeAsync(User, Permissions.DocumentsAdminister)).Succeeded;
        try
        {
            Details = await queries.GetAsync(id, CanAdminister, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return Page();
    }
}
