using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>Every kind of reference data on one page: lists for readers of the register, forms for reference.manage.</summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class ReferenceModel(ListReferenceItems list, IAuthorizationService authorization) : PageModel
{
    public Dictionary<ReferenceKind, IReadOnlyList<ReferenceView>> Lists { get; } = [];

    [BindProperty]
    public ReferenceInput Input { get; set; } = new();

    /// <summary>The kind whose form was submitted, so only that form shows what was typed.</summary>
    public string? Kind { get; private set; }

    public bool CanManage { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostCreateAsync(string kind, [FromServices] CreateReferenceItem create, CancellationToken cancellationToken) =>
        ChangeAsync(kind, async k => Notice = $"Added {(await create.ExecuteAsync(k, Input, cancellationToken)).Name}.", cancellationToken);

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostDeleteAsync(string kind, Guid id, [FromServices] DeleteReferenceItem delete, CancellationToken cancellationToken) =>
        ChangeAsync(kind, async k =>
        {
            await delete.ExecuteAsync(k, id, cancellationToken);
            Notice = "Deleted.";
        }, cancellationToken);

    private async Task<IActionResult> ChangeAsync(string kind, Func<ReferenceKind, Task> change, CancellationToken cancellationToken)
    {
        if (!ReferenceKinds.BySegment.TryGetValue(kind ?? string.Empty, out var parsed))
        {
            return NotFound();
        }

        try
        {
            await change(parsed);
            return Redirect("/settings/reference");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
            Notice = null;
        }

        Kind = kind;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in Enum.GetValues<ReferenceKind>())
        {
            Lists[kind] = await list.ExecuteAsync(kind, cancellationToken);
        }

        CanManage = (await authorization.AuthorizeAsync(User, Permissions.ReferenceManage)).Succeeded;
    }
}
