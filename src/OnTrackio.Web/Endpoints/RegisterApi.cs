using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Web.Endpoints;

public sealed record CheckInRequest(string? Note);

/// <summary>
/// The register's REST API: assets, people and reference data of the workspace resolved from the host. Refusals are
/// thrown by the operations and written as RFC 7807 problems by <see cref="ProblemExceptionHandler"/> (400, 404, 409, 412).
/// </summary>
internal static class RegisterApi
{
    public static void MapRegisterApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        MapAssets(api.MapGroup("/assets").WithTags("Assets"));
        api.MapGroup("/assets/bulk").WithTags("Assets").MapBulkAssets();
        MapPeople(api.MapGroup("/people").WithTags("People"));
        foreach (var (segment, kind) in ReferenceKinds.BySegment)
        {
            MapReference(api.MapGroup("/" + segment).WithTags("Reference data"), kind);
        }
    }

    private static void MapAssets(RouteGroupBuilder assets)
    {
        // Custom-field filters are cf.<field id>=value: keys not known in advance, so read from the query string.
        assets.MapGet("/", async ([AsParameters] AssetFilter filter, AssetQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.ListAsync(filter.ReadCustomFields(http.Request.Query), cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        // The list's filters and order, every matching row, streamed: an export of the whole register never sits in memory.
        assets.MapGet("/export.csv", async ([AsParameters] AssetFilter filter, AssetQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        {
            var export = await queries.ExportAsync(filter.ReadCustomFields(http.Request.Query), cancellationToken);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"assets.csv\"";
            http.Response.Headers.CacheControl = "private, no-store";
            await using var writer = new StreamWriter(http.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
            await AssetCsv.WriteAsync(writer, export, cancellationToken);
        }).RequireAuthorization(Permissions.AssetsRead);

        assets.MapGet("/{id:guid}", async (Guid id, AssetQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            WithETag(http, await queries.GetAsync(id, cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        assets.MapGet("/by-tag/{tag}", async (string tag, AssetQueries queries, HttpContext http, CancellationToken cancellationToken) =>
            WithETag(http, await queries.FindByTagAsync(tag, cancellationToken) ?? throw new NotFoundException("This workspace has no asset with that tag.")))
            .RequireAuthorization(Permissions.AssetsRead);

        assets.MapGet("/{id:guid}/history", async (Guid id, AssetQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.HistoryAsync(id, cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        assets.MapPost("/", async (AssetInput input, CreateAsset create, HttpContext http, CancellationToken cancellationToken) =>
        {
            var asset = await create.ExecuteAsync(input, cancellationToken);
            http.Response.Headers.ETag = asset.ETag;
            return TypedResults.Created($"/api/v1/assets/{asset.Id}", asset);
        }).RequireAuthorization(Permissions.AssetsManage);

        // PUT replaces the details (not the assignment, which only check-out and check-in change) and needs If-Match:
        // an update without the version it is based on is exactly the silent overwrite this API exists to prevent.
        assets.MapPut("/{id:guid}", async (
            Guid id, AssetInput input, [FromHeader(Name = "If-Match")] string? ifMatch, UpdateAsset update, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (ifMatch is null)
            {
                return IfMatchRequired();
            }

            var version = AssetETag.Parse(ifMatch) ?? throw new StaleVersionException("If-Match does not name a version of this asset; read the asset again for its ETag.");
            return WithETag(http, await update.ExecuteAsync(id, version, input, cancellationToken));
        }).RequireAuthorization(Permissions.AssetsManage);

        // PATCH changes some details (RFC 7396 JSON Merge Patch), under exactly PUT's If-Match rule.
        assets.MapPatch("/{id:guid}", async (
            Guid id, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, PatchAsset patch, HttpContext http, CancellationToken cancellationToken) =>
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                || !(type.MediaType.Equals(PatchAsset.MediaType, StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status415UnsupportedMediaType,
                    title: "Unsupported media type",
                    detail: $"Send a JSON Merge Patch as {PatchAsset.MediaType} (or application/json).");
            }

            if (ifMatch is null)
            {
                return IfMatchRequired();
            }

            var version = AssetETag.Parse(ifMatch) ?? throw new StaleVersionException("If-Match does not name a version of this asset; read the asset again for its ETag.");
            JsonDocument body;
            try
            {
                body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            }
            catch (JsonException)
            {
                throw new OperationRefusedException("The body is not JSON: send a JSON object of the fields to change.");
            }

            using (body)
            {
                return WithETag(http, await patch.ExecuteAsync(id, version, body.RootElement, cancellationToken));
            }
        }).Accepts<JsonElement>(PatchAsset.MediaType, "application/json").RequireAuthorization(Permissions.AssetsManage);

        assets.MapDelete("/{id:guid}", async (
            Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, DeleteAsset delete, CancellationToken cancellationToken) =>
        {
            long? version = ifMatch is null ? null : AssetETag.Parse(ifMatch) ?? throw new StaleVersionException("If-Match does not name a version of this asset.");
            await delete.ExecuteAsync(id, version, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.AssetsManage);

        assets.MapPost("/{id:guid}/restore", async (Guid id, RestoreAsset restore, HttpContext http, CancellationToken cancellationToken) =>
            WithETag(http, await restore.ExecuteAsync(id, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);

        assets.MapPost("/{id:guid}/checkout", async (Guid id, CheckOutInput input, CheckOutAsset checkOut, HttpContext http, CancellationToken cancellationToken) =>
            WithETag(http, await checkOut.ExecuteAsync(id, input, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);

        assets.MapPost("/{id:guid}/checkin", async (Guid id, CheckInRequest? input, CheckInAsset checkIn, HttpContext http, CancellationToken cancellationToken) =>
            WithETag(http, await checkIn.ExecuteAsync(id, input?.Note, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);
    }

    private static void MapPeople(RouteGroupBuilder people)
    {
        people.MapGet("/", async ([AsParameters] PeopleFilter filter, PeopleQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.PageAsync(filter, cancellationToken))).RequireAuthorization(Permissions.PeopleRead);

        people.MapGet("/{id:guid}", async (Guid id, PeopleQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.GetAsync(id, cancellationToken))).RequireAuthorization(Permissions.PeopleRead);

        // What a person holds, paged like the asset list; it shows assets, so it needs assets.read as well.
        people.MapGet("/{id:guid}/assets", async (
            Guid id, string? cursor, int? limit, PeopleQueries queries, AssetQueries assets, CancellationToken cancellationToken) =>
        {
            var person = await queries.GetAsync(id, cancellationToken);
            return TypedResults.Ok(await assets.ListAsync(new AssetFilter { Person = person.Id, Cursor = cursor, Limit = limit }, cancellationToken));
        }).RequireAuthorization(Permissions.PeopleRead).RequireAuthorization(Permissions.AssetsRead);

        people.MapPost("/", async (PersonInput input, CreatePerson create, CancellationToken cancellationToken) =>
        {
            var person = await create.ExecuteAsync(input, cancellationToken);
            return TypedResults.Created($"/api/v1/people/{person.Id}", person);
        }).RequireAuthorization(Permissions.PeopleManage);

        people.MapPut("/{id:guid}", async (Guid id, PersonInput input, UpdatePerson update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(id, input, cancellationToken))).RequireAuthorization(Permissions.PeopleManage);
    }

    private static void MapReference(RouteGroupBuilder group, ReferenceKind kind)
    {
        group.MapGet("/", async (ListReferenceItems list, CancellationToken cancellationToken) =>
            TypedResults.Ok(await list.ExecuteAsync(kind, cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        group.MapPost("/", async (ReferenceInput input, CreateReferenceItem create, CancellationToken cancellationToken) =>
        {
            var item = await create.ExecuteAsync(kind, input, cancellationToken);
            return TypedResults.Created($"/api/v1/{kind.Segment()}/{item.Id}", item);
        }).RequireAuthorization(Permissions.ReferenceManage);

        group.MapPut("/{id:guid}", async (Guid id, ReferenceInput input, UpdateReferenceItem update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(kind, id, input, cancellationToken))).RequireAuthorization(Permissions.ReferenceManage);

        group.MapDelete("/{id:guid}", async (Guid id, DeleteReferenceItem delete, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(kind, id, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.ReferenceManage);
    }

    private static IResult IfMatchRequired() => Results.Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "If-Match required",
        detail: "Send the asset's ETag in If-Match, so that a change made since you read it is not overwritten.");

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<AssetView> WithETag(HttpContext http, AssetView asset)
    {
        http.Response.Headers.ETag = asset.ETag;
        return TypedResults.Ok(asset);
    }
}
