using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>Every kind of reference data on one page: lists for readers of the register, forms for reference.manage.</summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class ReferenceModel(ListReferenceItems list, CustomFieldQueries customFields, IAuthorizationService authorization) : PageModel
{
    public Dictionary<ReferenceKind, IReadOnlyList<ReferenceView>> Lists { get; } = [];

    /// <summary>The custom field sets a model or category can choose.</summary>
    public IReadOnlyList<CustomFieldSetView> FieldSets { get; private set; } = [];

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

    /// <summary>Chooses the custom field set of a model or category, keeping the rest of it as it is.</summary>
    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostFieldSetAsync(string kind, Guid id, Guid? fieldSetId, [FromServices] UpdateReferenceItem update, CancellationToken cancellationToken) =>
        ChangeAsync(kind, async k =>
        {
            var item = (await list.ExecuteAsync(k, cancellationToken)).SingleOrDefault(i => i.Id == id)
                ?? throw new NotFoundException($"This workspace has no {k.Noun()} with that id.");
            var input = new ReferenceInput
            {
                Name = item.Name,
                CategoryId = item.CategoryId,
                ManufacturerId = item.ManufacturerId,
                ModelNumber = item.ModelNumber,
                EndOfLifeMonths = item.EndOfLifeMonths,
                FieldSetId = fieldSetId,
            };
            Notice = $"Custom fields of {(await update.ExecuteAsync(k, id, input, cancellationToken)).Name} saved.";
        }, cancellationToken);

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

        FieldSets = await customFields.ListSetsAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.ReferenceManage)).Succeeded;
    }
}
