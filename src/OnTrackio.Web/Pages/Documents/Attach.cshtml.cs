using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Documents;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Documents;

/// <summary>
/// Attaches a file to an asset, model or supplier (<c>?target=kind:id</c>), or replaces a document with a new version
/// (<c>?document=id</c>). The POST streams the file into the store (see <see cref="StreamedUpload"/>), so the framework's
/// own anti-forgery check, which reads the whole form, is replaced by the same check made before the file is read.
/// </summary>
[Authorize(Policy = Permissions.DocumentsManage)]
[IgnoreAntiforgeryToken]
[DisableFormValueModelBinding]
public sealed class AttachModel(DocumentQueries queries) : PageModel
{
    public DocumentTarget? Target { get; private set; }

    public DocumentView? Replacing { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? target, Guid? document, CancellationToken cancellationToken) =>
        await ResolveAsync(target, document, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? target, Guid? document, [FromServices] UploadDocument upload, CancellationToken cancellationToken)
    {
        if (!await ResolveAsync(target, document, cancellationToken))
        {
            return NotFound();
        }

        try
        {
            var id = await StreamedUpload.ReadAsync(HttpContext, checkAntiforgery: true, (_, fileName, content) => upload.ExecuteAsync(
                new DocumentUpload(fileName, Target is null ? [] : [Target]) { ReplaceDocumentId = Replacing?.Id }, content, cancellationToken), cancellationToken);
            return Redirect(Target is null ? $"/documents/{id}" : Target.PagePath);
        }
        catch (AntiforgeryValidationException)
        {
            return BadRequest();
        }
        catch (UploadRefusedException ex)
        {
            return Refuse(ex.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status422UnprocessableEntity, ex.Message);
        }
        catch (OperationRefusedException ex)
        {
            return Refuse(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (StaleVersionException ex)
        {
            return Refuse(StatusCodes.Status409Conflict, ex.Message);
        }
    }

    private PageResult Refuse(int status, string message)
    {
        Response.StatusCode = status;
        Error = message;
        return Page();
    }

    private async Task<bool> ResolveAsync(string? target, Guid? document, CancellationToken cancellationToken)
    {
        if (document is { } id)
        {
            try
            {
                Replacing = (await queries.GetAsync(id, includeDeleted: false, cancellationToken)).Document;
                return true;
            }
            catch (NotFoundException)
            {
                return false;
            }
        }

        if (DocumentTarget.TryParse(target, out var parsed))
        {
            Target = parsed;
            return true;
        }

        return false;
    }
}
