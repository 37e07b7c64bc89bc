using Microsoft.AspNetCore.Mvc;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Labels;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// What leaves the register as files: the XLSX export of a filtered list (beside the CSV one in <see cref="RegisterApi"/>),
/// and labels with QR codes as a PNG per asset or a PDF sheet. Everything is read from the workspace of the request's host.
/// </summary>
internal static class ExportApi
{
    public static void MapExportApi(this WebApplication app)
    {
        // The list's filters, every matching row, streamed as the database returns them.
        app.MapGet("/api/v1/assets/export.xlsx", async ([AsParameters] AssetFilter filter, AssetQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        {
            var export = await queries.ExportAsync(filter.ReadCustomFields(http.Request.Query), cancellationToken);
            http.Response.ContentType = AssetXlsx.ContentType;
            http.Response.Headers.ContentDisposition = "attachment; filename=\"assets.xlsx\"";
            http.Response.Headers.CacheControl = "private, no-store";
            await AssetXlsx.WriteAsync(http.Response.Body, export, cancellationToken);
        }).WithTags("Assets").RequireAuthorization(Permissions.AssetsRead);

        app.MapGet("/assets/{id:guid}/label.png", async (Guid id, PrintAssetLabels labels, HttpContext http, CancellationToken cancellationToken) =>
        {
            http.Response.Headers.CacheControl = "private, no-store";
            return TypedResults.File(await labels.PngAsync(id, cancellationToken), "image/png");
        }).WithTags("Labels").RequireAuthorization(Permissions.AssetsRead);

        // Either the assets named by id (?id=…&id=…) or, without ids, every asset the list's filters match.
        app.MapGet("/assets/labels.pdf", async (
            [AsParameters] AssetFilter filter, [FromQuery(Name = "id")] Guid[]? ids, PrintAssetLabels labels, HttpContext http, CancellationToken cancellationToken) =>
        {
            var chosen = ids is { Length: > 0 }
                ? await labels.ForAssetsAsync(ids, cancellationToken)
                : await labels.ForFilterAsync(filter.ReadCustomFields(http.Request.Query), cancellationToken);
            http.Response.Headers.CacheControl = "private, no-store";
            return TypedResults.File(LabelSheetPdf.Render(chosen), "application/pdf", "asset-labels.pdf");
        }).WithTags("Labels").RequireAuthorization(Permissions.AssetsRead);
    }
}
