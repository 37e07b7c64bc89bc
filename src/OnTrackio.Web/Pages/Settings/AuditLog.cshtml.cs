using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// The audit viewer: filters, newest first, keyset pages, and a CSV export of the filtered list. Read-only: the page
/// has no POST handler, and nothing in the application updates or deletes an entry.
/// </summary>
[Authorize(Policy = Permissions.AuditRead)]
public sealed class AuditLogModel(SearchAuditLog search) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true, Name = "entity_type")]
    public string? EntityType { get; set; }

    [BindProperty(SupportsGet = true, Name = "entity_id")]
    public string? EntityId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEvent> Entries { get; private set; } = [];

    public long? NextBefore { get; private set; }

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = AuditLogFilter.Parse(Type, Actor, EntityType, EntityId, From, To, out var errors);
        if (errors.Count > 0)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var page = await search.PageAsync(filter, Before, SearchAuditLog.DefaultPageSize, cancellationToken);
        Entries = page.Entries;
        NextBefore = page.NextBefore;
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var filter = AuditLogFilter.Parse(Type, Actor, EntityType, EntityId, From, To, out var errors);
        if (errors.Count > 0)
        {
            return BadRequest(new ValidationProblemDetails(errors));
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"audit-log.csv\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await AuditCsv.WriteAsync(writer, search.StreamAsync(filter), cancellationToken);
        await writer.FlushAsync(cancellationToken);
        return new EmptyResult();
    }

    /// <summary>The current filters as query values, for the next-page and export links.</summary>
    public Dictionary<string, string?> Query(long? before = null) => new()
    {
        ["type"] = Type,
        ["actor"] = Actor,
        ["entity_type"] = EntityType,
        ["entity_id"] = EntityId,
        ["from"] = From,
        ["to"] = To,
        ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
