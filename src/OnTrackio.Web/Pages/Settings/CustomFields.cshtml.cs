using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.CustomFields;
using OnTrackio.Identity;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>A custom field as the settings form posts it: the options of a list one per line.</summary>
public sealed class CustomFieldForm
{
    public string? Name { get; set; }

    public CustomFieldType? Type { get; set; }

    public string? Options { get; set; }

    public bool Required { get; set; }

    public string? HelpText { get; set; }

    public CustomFieldInput ToInput() => new()
    {
        Name = Name,
        Type = Type,
        Options = Options?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        Required = Required,
        HelpText = HelpText,
    };

    public static CustomFieldForm From(CustomFieldView field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return new() { Name = field.Name, Type = field.Type, Options = string.Join('\n', field.Options), Required = field.Required, HelpText = field.HelpText };
    }
}

/// <summary>A set as the settings form posts it: the fields ticked, each with the position typed beside it.</summary>
public sealed class CustomFieldSetForm
{
    public string? Name { get; set; }

    public List<Guid> FieldIds { get; set; } = [];

    public Dictionary<Guid, int?> Positions { get; set; } = [];

    /// <summary>The ticked fields by position; those without one keep the order they are listed in, after the rest.</summary>
    public CustomFieldSetInput ToInput(IReadOnlyList<CustomFieldView> fields) => new()
    {
        Name = Name,
        FieldIds = [.. FieldIds.Distinct()
            .OrderBy(id => Positions.GetValueOrDefault(id) ?? int.MaxValue)
            .ThenBy(id => fields.Select(f => f.Id).ToList().IndexOf(id))],
    };

    public static CustomFieldSetForm From(CustomFieldSetView set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new()
        {
            Name = set.Name,
            FieldIds = [.. set.Fields.Select(f => f.FieldId)],
            Positions = set.Fields.Select((f, i) => (f.FieldId, Position: (int?)(i + 1))).ToDictionary(p => p.FieldId, p => p.Position),
        };
    }
}

/// <summary>
/// Custom fields and their sets: readers of the register see them, reference.manage changes them. Each form shows its
/// own refusal beside it, with what was typed.
/// </summary>
[Authorize(Policy = Permissions.AssetsRead)]
public sealed class CustomFieldsModel(CustomFieldQueries queries, IAuthorizationService authorization) : PageModel
{
    public const string NewField = "new-field";
    public const string NewSet = "new-set";

    public IReadOnlyList<CustomFieldView> Fields { get; private set; } = [];

    public IReadOnlyList<CustomFieldSetView> Sets { get; private set; } = [];

    public bool CanManage { get; private set; }

    [BindProperty]
    public CustomFieldForm FieldInput { get; set; } = new() { Type = CustomFieldType.Text };

    [BindProperty]
    public CustomFieldSetForm SetInput { get; set; } = new();

    /// <summary>The field whose edit form is open (<c>?editField=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? EditField { get; set; }

    /// <summary>The set whose edit form is open (<c>?editSet=</c>).</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? EditSet { get; set; }

    /// <summary>Which form was refused (<see cref="NewField"/>, <see cref="NewSet"/>, or an id), so the reason shows beside it.</summary>
    public string? FailedForm { get; private set; }

    public string? Error { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (EditField is { } fieldId)
        {
            var field = Fields.FirstOrDefault(f => f.Id == fieldId);
            if (field is null)
            {
                return NotFound();
            }

            FieldInput = CustomFieldForm.From(field);
        }

        if (EditSet is { } setId)
        {
            var set = Sets.FirstOrDefault(s => s.Id == setId);
            if (set is null)
            {
                return NotFound();
            }

            SetInput = CustomFieldSetForm.From(set);
        }

        return Page();
    }

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostCreateFieldAsync([FromServices] CreateCustomField create, CancellationToken cancellationToken) =>
        ChangeAsync(NewField, async () => $"Added {(await create.ExecuteAsync(FieldInput.ToInput(), cancellationToken)).Name}.", cancellationToken);

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostUpdateFieldAsync(Guid id, [FromServices] UpdateCustomField update, CancellationToken cancellationToken)
    {
        EditField = id;
        return ChangeAsync(id.ToString(), async () => $"Saved {(await update.ExecuteAsync(id, FieldInput.ToInput(), cancellationToken)).Name}.", cancellationToken);
    }

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostDeleteFieldAsync(Guid id, bool deleteValues, [FromServices] DeleteCustomField delete, CancellationToken cancellationToken) =>
        ChangeAsync(id.ToString(), async () =>
        {
            await delete.ExecuteAsync(id, deleteValues, cancellationToken);
            return "Field deleted.";
        }, cancellationToken);

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostCreateSetAsync([FromServices] CreateCustomFieldSet create, CancellationToken cancellationToken) =>
        ChangeAsync(NewSet, async () =>
        {
            var input = SetInput.ToInput(await queries.ListFieldsAsync(cancellationToken));
            return $"Added {(await create.ExecuteAsync(input, cancellationToken)).Name}.";
        }, cancellationToken);

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostUpdateSetAsync(Guid id, [FromServices] UpdateCustomFieldSet update, CancellationToken cancellationToken)
    {
        EditSet = id;
        return ChangeAsync(id.ToString(), async () =>
        {
            var input = SetInput.ToInput(await queries.ListFieldsAsync(cancellationToken));
            return $"Saved {(await update.ExecuteAsync(id, input, cancellationToken)).Name}.";
        }, cancellationToken);
    }

    [RequiresPermission(Permissions.ReferenceManage)]
    public Task<IActionResult> OnPostDeleteSetAsync(Guid id, [FromServices] DeleteCustomFieldSet delete, CancellationToken cancellationToken) =>
        ChangeAsync(id.ToString(), async () =>
        {
            await delete.ExecuteAsync(id, cancellationToken);
            return "Set deleted.";
        }, cancellationToken);

    /// <summary>Runs a change and redirects here (a reload does not repeat it), or shows the form again with its refusal.</summary>
    private async Task<IActionResult> ChangeAsync(string form, Func<Task<string>> change, CancellationToken cancellationToken)
    {
        try
        {
            Notice = await change();
            return Redirect("/settings/custom-fields");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
            (FailedForm, Notice) = (form, null);
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Fields = await queries.ListFieldsAsync(cancellationToken);
        Sets = await queries.ListSetsAsync(cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.ReferenceManage)).Succeeded;
    }
}
