using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.People;

/// <summary>One person: their record, what they hold (with a warning when they are leaving), and the edit form (people.manage).</summary>
[Authorize(Policy = Permissions.PeopleRead)]
public sealed class PersonDetailsModel(
    PeopleQueries people, AssetQueries assets, ListReferenceItems reference, IAuthorizationService authorization) : PageModel
{
    public PersonView Person { get; private set; } = null!;

    public AssetPage Held { get; private set; } = new([], null);

    [BindProperty]
    public PersonInput Input { get; set; } = new();

    public PersonChoices Choices { get; private set; } = PersonChoices.Empty;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public bool CanManage { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Input = PersonInput.From(Person);
        Choices = await PersonChoices.LoadAsync(reference, people, id, Input.ManagerId, cancellationToken);
        return Page();
    }

    [RequiresPermission(Permissions.PeopleManage)]
    public async Task<IActionResult> OnPostAsync(Guid id, [FromServices] UpdatePerson update, CancellationToken cancellationToken)
    {
        try
        {
            var person = await update.ExecuteAsync(id, Input, cancellationToken);
            Notice = $"{person.Name} was saved.";
            return Redirect($"/people/{id}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            (Error, FieldErrors) = (ex.Message, ex.FieldErrors);
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
        }

        // What was typed stays in the form beside the reasons; the record above shows what is saved.
        await LoadAsync(id, cancellationToken);
        Choices = await PersonChoices.LoadAsync(reference, people, id, Input.ManagerId, cancellationToken);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            Person = await people.GetAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return false;
        }

        Held = await assets.ListAsync(new AssetFilter { Person = id, Limit = AssetFilter.MaxLimit }, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.PeopleManage)).Succeeded;
        return true;
    }
}
