using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OnTrackio.Identity;
using OnTrackio.People;

namespace OnTrackio.Web.Pages.People;

/// <summary>The directory: search and keyset pages by name, the same as <c>GET /api/v1/people</c>.</summary>
[Authorize(Policy = Permissions.PeopleRead)]
public sealed class PeopleModel(PeopleQueries queries, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public PeopleFilter Filter { get; set; } = new();

    public PersonPage Results { get; private set; } = new([], null);

    public bool CanManage { get; private set; }

    public string? NextPageUrl { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.PeopleManage)).Succeeded;
        try
        {
            Results = await queries.PageAsync(Filter, cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Error = ex.Message;
        }

        if (Results.NextCursor is { } cursor)
        {
            var next = Request.Query.Where(q => q.Key != "cursor").ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
            next["cursor"] = cursor;
            NextPageUrl = QueryHelpers.AddQueryString("/people", next);
        }
    }
}
