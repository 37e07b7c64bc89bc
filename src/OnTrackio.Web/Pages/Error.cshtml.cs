using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OnTrackio.Web.Pages;

/// <summary>
/// What a person sees instead of the browser's bare error screen when a page answers 403, 404 and the like; the status
/// code itself is kept (the page is re-executed, not redirected to). The API answers RFC 7807 problems instead.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The request could not be completed.";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code) =>
        (Title, Explanation) = code switch
        {
            StatusCodes.Status403Forbidden => ("Not allowed", "Your role in this workspace does not include this page. An administrator can change your role."),
            StatusCodes.Status404NotFound => ("Not found", "This workspace has nothing at this address. It may have been deleted, or the link may be from another workspace."),
            StatusCodes.Status400BadRequest => ("Request refused", "The request was not valid. Go back, check what you entered and try again."),
            StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed => ("Changed by someone else", "Someone changed this since you opened it. Go back and reload to see the latest version."),
            StatusCodes.Status429TooManyRequests => ("Too many attempts", "Wait a minute, then try again."),
            _ => ("Something went wrong", "The request could not be completed. Try again in a moment."),
        };
}
