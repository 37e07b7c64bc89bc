using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using OnTrackio.Importing;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// CSV import: upload (which queues the dry run), read the job (status, progress, counts, rejected rows by line),
/// commit, abandon, and the empty template. The group admits anyone who may import some kind; each request then needs
/// the permission of its own kind (assets.manage, people.manage, reference.manage for models).
/// </summary>
internal static class ImportApi
{
    public static void MapImportApi(this WebApplication app)
    {
        var imports = app.MapGroup("/api/v1/imports").WithTags("Imports").RequireAuthorization(ImportTemplates.Policy);

        // The form is read by hand rather than bound, so that an upload over the limit gets a 413 problem and not a
        // binding error. Like every other POST of /api/v1 it relies on the host-only SameSite=Lax session cookie, not on
        // an anti-forgery token, which an API client has no form to take from.
        imports.MapPost("/", UploadAsync).DisableAntiforgery().Produces<ImportJobView>(StatusCodes.Status202Accepted);

        imports.MapGet("/", async (ImportJobs jobs, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var allowed = await AllowedKindsAsync(http, authorization);
            return TypedResults.Ok((await jobs.RecentAsync(cancellationToken)).Where(j => allowed.Contains(j.Kind)).ToList());
        });

        imports.MapGet("/{id:guid}", async (Guid id, ImportJobs jobs, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var job = await jobs.GetAsync(id, cancellationToken);
            return await MayImportAsync(http, authorization, job.Kind) ? Results.Ok(job) : Results.Forbid();
        });

        imports.MapPost("/{id:guid}/commit", async (
            Guid id, ImportJobs jobs, CommitImport commit, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var job = await jobs.GetAsync(id, cancellationToken);
            if (!await MayImportAsync(http, authorization, job.Kind))
            {
                return Results.Forbid();
            }

            return Results.Accepted($"/api/v1/imports/{id}", await commit.ExecuteAsync(id, cancellationToken));
        });

        imports.MapDelete("/{id:guid}", async (
            Guid id, ImportJobs jobs, AbandonImport abandon, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var job = await jobs.GetAsync(id, cancellationToken);
            if (!await MayImportAsync(http, authorization, job.Kind))
            {
                return Results.Forbid();
            }

            await abandon.ExecuteAsync(id, cancellationToken);
            return Results.NoContent();
        });

        imports.MapGet("/templates/{kind}.csv", async (
            string kind, ImportTemplates templates, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            var parsed = ParseKind(kind);
            if (!await MayImportAsync(http, authorization, parsed))
            {
                return Results.Forbid();
            }

            // With a byte order mark, so that Excel opens it as UTF-8 (custom field names may have accents).
            var header = await templates.HeaderAsync(parsed, cancellationToken);
            http.Response.Headers.CacheControl = "private, no-store";
            return Results.File(
                [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(header)],
                "text/csv; charset=utf-8",
                $"{parsed.ToString().ToLowerInvariant()}-template.csv");
        });
    }

    private static async Task<IResult> UploadAsync(HttpContext http, StartImport start, IAuthorizationService authorization, CancellationToken cancellationToken)
    {
        // Kestrel's default body limit is 30 MB; an import may be 50.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = ImportLimits.MaxRequestBytes;
        }

        if (!http.Request.HasFormContentType)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the file as multipart/form-data, with the fields kind (assets, people or models) and file.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            throw new OperationRefusedException("The upload could not be read as multipart/form-data.");
        }

        var kind = ParseKind(form["kind"]);
        if (!await MayImportAsync(http, authorization, kind))
        {
            return Results.Forbid();
        }

        var file = form.Files.GetFile("file") ?? throw new OperationRefusedException("Attach the CSV file as the field 'file'.");
        await using var content = file.OpenReadStream();
        var job = await start.ExecuteAsync(kind, file.FileName, content, file.Length, form["encoding"], form["delimiter"], cancellationToken);
        return Results.Accepted($"/api/v1/imports/{job.Id}", job);
    }

    private static ImportKind ParseKind(string? kind) =>
        ImportTemplates.TryParseKind(kind, out var parsed)
            ? parsed
            : throw new OperationRefusedException($"Kind '{kind}' is not one an import takes: assets, people or models.");

    private static async Task<bool> MayImportAsync(HttpContext http, IAuthorizationService authorization, ImportKind kind) =>
        (await authorization.AuthorizeAsync(http.User, ImportTemplates.PermissionFor(kind))).Succeeded;

    private static async Task<HashSet<ImportKind>> AllowedKindsAsync(HttpContext http, IAuthorizationService authorization)
    {
        var allowed = new HashSet<ImportKind>();
        foreach (var kind in Enum.GetValues<ImportKind>())
        {
            if (await MayImportAsync(http, authorization, kind))
            {
                allowed.Add(kind);
            }
        }

        return allowed;
    }
}
