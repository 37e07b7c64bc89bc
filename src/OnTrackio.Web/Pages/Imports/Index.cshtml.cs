using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Importing;

// "Imports" is a Visual Basic keyword; page models have no VB consumers, and the folder is named after the route.
#pragma warning disable CA1716
namespace OnTrackio.Web.Pages.Imports;
#pragma warning restore CA1716

/// <summary>Upload a CSV file of one kind (its dry run starts at once), and the recent imports of the kinds you may import.</summary>
[Authorize(Policy = ImportTemplates.Policy)]
[RequestSizeLimit(ImportLimits.MaxRequestBytes)]
public sealed class ImportsModel(ImportJobs jobs, IAuthorizationService authorization) : PageModel
{
    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? Encoding { get; set; }

    [BindProperty]
    public string? Delimiter { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The kinds this person may import, in the order the form offers them.</summary>
    public IReadOnlyList<ImportKind> Kinds { get; private set; } = [];

    public IReadOnlyList<ImportJobView> Recent { get; private set; } = [];

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public static IReadOnlyList<string> Encodings => ImportFormat.EncodingNames;

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync([FromServices] StartImport start, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!ImportTemplates.TryParseKind(Kind, out var kind))
        {
            return Refuse(StatusCodes.Status400BadRequest, "Choose what the file holds: assets, people or models.");
        }

        if (!Kinds.Contains(kind))
        {
            return Forbid();
        }

        if (Upload is null || Upload.Length == 0)
        {
            return Refuse(StatusCodes.Status400BadRequest, "Choose a CSV file to upload.");
        }

        try
        {
            await using var content = Upload.OpenReadStream();
            var job = await start.ExecuteAsync(kind, Upload.FileName, content, Upload.Length, Encoding, Delimiter, cancellationToken);
            return Redirect($"/imports/{job.Id}");
        }
        catch (FileTooLargeException ex)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, ex.Message);
        }
        catch (OperationRefusedException ex)
        {
            return Refuse(StatusCodes.Status400BadRequest, ex.Message);
        }
    }

    private PageResult Refuse(int status, string message)
    {
        Response.StatusCode = status;
        Error = message;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var kinds = new List<ImportKind>();
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            if ((await authorization.AuthorizeAsync(User, ImportTemplates.PermissionFor(kind))).Succeeded)
            {
                kinds.Add(kind);
            }
        }

        Kinds = kinds;
        Recent = [.. (await jobs.RecentAsync(cancellationToken)).Where(j => kinds.Contains(j.Kind))];
    }
}
