using Microsoft.AspNetCore.Authorization;
using OnTrackio.Documents;
using OnTrackio.Identity;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// <c>/api/v1/documents</c>: list, read, upload (through a signed PUT URL, or one streamed multipart POST), download
/// URLs, delete, and for Admins restore, restore a version, and purge. Ids are looked up in this host's workspace
/// database, so another workspace's document is simply not found. Also the two page-side redirects to signed URLs:
/// <c>/documents/{id}/download</c> and <c>/branding/logo</c>.
/// </summary>
internal static class DocumentApi
{
    public static void MapDocumentApi(this WebApplication app)
    {
        var documents = app.MapGroup("/api/v1/documents").WithTags("Documents");

        documents.MapGet("/", async (
            string? targetKind, Guid? targetId, bool? includeDeleted, DocumentQueries queries, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
        {
            DocumentTarget? target = null;
            if (targetKind is not null || targetId is not null)
            {
                target = DocumentTarget.TryParseKind(targetKind, out var kind) && targetId is { } id
                    ? new DocumentTarget(kind, id)
                    : throw new OperationRefusedException("Filter by both targetKind (asset, model, supplier) and targetId.");
            }

            if (includeDeleted == true && !(await authorization.AuthorizeAsync(http.User, Permissions.DocumentsAdminister)).Succeeded)
            {
                return Results.Forbid();
            }

            return Results.Ok(await queries.ListAsync(target, includeDeleted == true, cancellationToken));
        }).RequireAuthorization(Permissions.DocumentsRead).Produces<IReadOnlyList<DocumentView>>();

        documents.MapGet("/{id:guid}", async (Guid id, DocumentQueries queries, HttpContext http, IAuthorizationService authorization, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.GetAsync(id, await IsAdministratorAsync(http, authorization), cancellationToken)))
            .RequireAuthorization(Permissions.DocumentsRead);

        // Step one of an API upload: a signed URL to PUT the bytes to. Step two is POST / (or /{id}/versions) with its uploadId.
        documents.MapPost("/uploads", async (UploadUrlRequest? request, CreateUploadUrl create, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await create.ExecuteAsync(request ?? new UploadUrlRequest(null, null), BaseUri(http), cancellationToken)))
            .RequireAuthorization(Permissions.DocumentsManage);

        // JSON {uploadId, name, links} completes a signed-URL upload; multipart/form-data (fields links, then file) streams
        // the file in this one request. Like every other POST of /api/v1, it relies on the SameSite=Lax session cookie.
        documents.MapPost("/", (HttpContext http, CancellationToken cancellationToken) => CreateAsync(http, replace: null, cancellationToken))
            .DisableAntiforgery().RequireAuthorization(Permissions.DocumentsManage)
            .Accepts<CompleteUploadRequest>("application/json", "multipart/form-data").Produces<DocumentDetails>(StatusCodes.Status201Created);

        documents.MapPost("/{id:guid}/versions", (Guid id, HttpContext http, CancellationToken cancellationToken) => CreateAsync(http, id, cancellationToken))
            .DisableAntiforgery().RequireAuthorization(Permissions.DocumentsManage)
            .Accepts<CompleteUploadRequest>("application/json", "multipart/form-data").Produces<DocumentDetails>(StatusCodes.Status201Created);

        documents.MapGet("/{id:guid}/download-url", async (Guid id, int? version, MintDownloadUrl mint, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mint.ExecuteAsync(id, version, BaseUri(http), DocumentPurpose.Register, cancellationToken)))
            .RequireAuthorization(Permissions.DocumentsRead);

        documents.MapDelete("/{id:guid}", async (Guid id, DeleteDocument delete, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.DocumentsManage);

        documents.MapPost("/{id:guid}/restore", async (Guid id, RestoreDocument restore, DocumentQueries queries, CancellationToken cancellationToken) =>
        {
            await restore.ExecuteAsync(id, cancellationToken);
            return TypedResults.Ok(await queries.GetAsync(id, includeDeleted: true, cancellationToken));
        }).RequireAuthorization(Permissions.DocumentsAdminister);

        documents.MapPost("/{id:guid}/versions/{number:int}/restore", async (
            Guid id, int number, RestoreDocumentVersion restore, DocumentQueries queries, CancellationToken cancellationToken) =>
        {
            await restore.ExecuteAsync(id, number, cancellationToken);
            return TypedResults.Ok(await queries.GetAsync(id, includeDeleted: true, cancellationToken));
        }).RequireAuthorization(Permissions.DocumentsAdminister);

        documents.MapDelete("/{id:guid}/purge", async (Guid id, PurgeDocument purge, CancellationToken cancellationToken) =>
        {
            await purge.ExecuteAsync(id, DocumentPurpose.Register, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.DocumentsAdminister);

        // For pages: a link that checks permission now and sends the browser to a freshly signed URL, so that no page
        // carries a signed URL that outlives it.
        app.MapGet("/documents/{id:guid}/download", async (Guid id, int? version, MintDownloadUrl mint, HttpContext http, CancellationToken cancellationToken) =>
            await RedirectAsync(() => mint.ExecuteAsync(id, version, BaseUri(http), DocumentPurpose.Register, cancellationToken), http))
            .RequireAuthorization(Permissions.DocumentsRead).ExcludeFromDescription();

        // The logo in the layout: an <img> renders the signed GET even though it answers as an attachment.
        app.MapGet("/branding/logo", async (BrandingQueries branding, MintDownloadUrl mint, HttpContext http, CancellationToken cancellationToken) =>
        {
            var current = await branding.CurrentAsync(cancellationToken);
            return current.LogoDocumentId is { } id
                ? await RedirectAsync(() => mint.ExecuteAsync(id, null, BaseUri(http), DocumentPurpose.Branding, cancellationToken), http)
                : Results.NotFound();
        }).RequireAuthorization().ExcludeFromDescription();
    }

    /// <summary>The verified scheme and host of this request (the host chose the workspace), which signed URLs are bound to.</summary>
    internal static Uri BaseUri(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}");

    private static async Task<IResult> RedirectAsync(Func<Task<DownloadUrl>> mint, HttpContext http)
    {
        try
        {
            var url = await mint();
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Redirect(url.Url.AbsoluteUri);
        }
        catch (NotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static async Task<bool> IsAdministratorAsync(HttpContext http, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync(http.User, Permissions.DocumentsAdminister)).Succeeded;

    private static async Task<IResult> CreateAsync(HttpContext http, Guid? replace, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        Guid id;
        if (http.Request.HasJsonContentType())
        {
            var request = await http.Request.ReadFromJsonAsync<CompleteUploadRequest>(cancellationToken)
                ?? throw new OperationRefusedException("Send {uploadId, name, links}.");
            id = await services.GetRequiredService<CompleteUpload>().ExecuteAsync(replace, request, cancellationToken);
        }
        else
        {
            id = await StreamedUpload.ReadAsync(http, checkAntiforgery: false, async (fields, fileName, content) =>
            {
                var links = (fields.GetValueOrDefault("links") ?? string.Empty).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)
                    .Select(l => DocumentTarget.TryParse(l, out var target) ? target : throw new UploadRefusedException($"'{l}' is not a link: write kind:id, e.g. asset:0193…"))
                    .ToList();
                return await services.GetRequiredService<UploadDocument>().ExecuteAsync(
                    new DocumentUpload(fields.GetValueOrDefault("name") ?? fileName, links) { ReplaceDocumentId = replace }, content, cancellationToken);
            }, cancellationToken);
        }

        var details = await services.GetRequiredService<DocumentQueries>().GetAsync(id, includeDeleted: false, cancellationToken);
        return Results.Created($"/api/v1/documents/{id}", details);
    }
}
