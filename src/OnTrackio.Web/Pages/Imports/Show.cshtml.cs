using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Importing;

// "Imports" is a Visual Basic keyword; page models have no VB consumers, and the folder is named after the route.
#pragma warning disable CA1716
namespace OnTrackio.Web.Pages.Imports;
#pragma warning restore CA1716

/// <summary>One import: its progress while it runs, then the dry run's result with Commit and Abandon, or what the commit did.</summary>
[Authorize(Policy = ImportTemplates.Policy)]
public sealed class ImportDetailsModel(ImportJobs jobs, IAuthorizationService authorization) : PageModel
{
    public ImportJobView Job { get; private set; } = null!;

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, cancellationToken);

    public Task<IActionResult> OnPostCommitAsync(Guid id, [FromServices] CommitImport commit, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => commit.ExecuteAsync(id, cancellationToken), $"/imports/{id}", "Committing: the page follows its progress.", cancellationToken);

    public Task<IActionResult> OnPostAbandonAsync(Guid id, [FromServices] AbandonImport abandon, CancellationToken cancellationToken) =>
        ChangeAsync(id, () => abandon.ExecuteAsync(id, cancellationToken), "/imports", "The import was abandoned and its file deleted.", cancellationToken);

    /// <summary>The problem page of a refused change keeps the job on screen with the reason; a success redirects (a reload repeats nothing).</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task> change, string then, string done, CancellationToken cancellationToken)
    {
        var shown = await ShowAsync(id, cancellationToken);
        if (shown is not PageResult)
        {
            return shown;
        }

        try
        {
            await change();
            Notice = done;
            return Redirect(then);
        }
        catch (ConflictException ex)
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            Error = ex.Message;
        }

        return await ShowAsync(id, cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            Job = await jobs.GetAsync(id, cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }

        return (await authorization.AuthorizeAsync(User, ImportTemplates.PermissionFor(Job.Kind))).Succeeded ? Page() : Forbid();
    }
}
