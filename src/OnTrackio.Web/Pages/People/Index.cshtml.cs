using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Web.Pages.Assets;

namespace OnTrackio.Web.Pages.People;

/// <summary>The directory (people.read) and adding a person (people.manage).</summary>
[Authorize(Policy = Permissions.PeopleRead)]
public sealed class PeopleModel(PeopleQueries queries, ListReferenceItems reference, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty]
    public PersonInput Input { get; set; } = new();

    public IReadOnlyList<PersonView> People { get; private set; } = [];

    public IReadOnlyList<ReferenceView> Departments { get; private set; } = [];

    public bool CanManage { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    [RequiresPermission(Permissions.PeopleManage)]
    public async Task<IActionResult> OnPostAsync([FromServices] CreatePerson create, CancellationToken cancellationToken)
    {
        try
        {
            var person = await create.ExecuteAsync(Input, cancellationToken);
            Notice = $"{person.Name} was added.";
            return Redirect("/people");
        }
        catch (Exception ex) when (Refusal.Of(ex) is { } refusal)
        {
            (Response.StatusCode, Error) = refusal;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        People = await queries.ListAsync(Q, cancellationToken);
        Departments = await reference.ExecuteAsync(ReferenceKind.Departments, cancellationToken);
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.PeopleManage)).Succeeded;
    }
}
