using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.People;

/// <summary>Adds a person; a refusal shows each reason beside its field and keeps what was typed.</summary>
[Authorize(Policy = Permissions.PeopleManage)]
public sealed class NewPersonModel(ListReferenceItems reference, PeopleQueries people) : PageModel
{
    [BindProperty]
    public PersonInput Input { get; set; } = new();

    public PersonChoices Choices { get; private set; } = PersonChoices.Empty;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();

    public string? Error { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Choices = await PersonChoices.LoadAsync(reference, people, self: null, currentManager: null, cancellationToken);

    public async Task<IActionResult> OnPostAsync([FromServices] CreatePerson create, CancellationToken cancellationToken)
    {
        try
        {
            var person = await create.ExecuteAsync(Input, cancellationToken);
            Notice = $"{person.Name} was added.";
            return Redirect($"/people/{person.Id}");
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

        Choices = await PersonChoices.LoadAsync(reference, people, self: null, Input.ManagerId, cancellationToken);
        return Page();
    }
}
