using OnTrackio.CustomFields;
using OnTrackio.Identity;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// Custom fields and their sets under /api/v1: readers of the register see them (they shape what assets show), and
/// reference.manage changes them. Refusals are RFC 7807 problems written by <see cref="ProblemExceptionHandler"/>.
/// </summary>
internal static class CustomFieldApi
{
    public static void MapCustomFieldApi(this WebApplication app)
    {
        var fields = app.MapGroup("/api/v1/custom-fields").WithTags("Custom fields");
        fields.MapGet("/", async (CustomFieldQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.ListFieldsAsync(cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        fields.MapGet("/{id:guid}", async (Guid id, CustomFieldQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.GetFieldAsync(id, cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        fields.MapPost("/", async (CustomFieldInput input, CreateCustomField create, CancellationToken cancellationToken) =>
        {
            var field = await create.ExecuteAsync(input, cancellationToken);
            return TypedResults.Created($"/api/v1/custom-fields/{field.Id}", field);
        }).RequireAuthorization(Permissions.ReferenceManage);

        fields.MapPut("/{id:guid}", async (Guid id, CustomFieldInput input, UpdateCustomField update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(id, input, cancellationToken))).RequireAuthorization(Permissions.ReferenceManage);

        // A field that holds values is deleted only when the caller says the values go too (?deleteValues=true).
        fields.MapDelete("/{id:guid}", async (Guid id, bool? deleteValues, DeleteCustomField delete, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, deleteValues == true, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.ReferenceManage);

        var sets = app.MapGroup("/api/v1/custom-field-sets").WithTags("Custom fields");
        sets.MapGet("/", async (CustomFieldQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.ListSetsAsync(cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        sets.MapGet("/{id:guid}", async (Guid id, CustomFieldQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.GetSetAsync(id, cancellationToken))).RequireAuthorization(Permissions.AssetsRead);

        sets.MapPost("/", async (CustomFieldSetInput input, CreateCustomFieldSet create, CancellationToken cancellationToken) =>
        {
            var set = await create.ExecuteAsync(input, cancellationToken);
            return TypedResults.Created($"/api/v1/custom-field-sets/{set.Id}", set);
        }).RequireAuthorization(Permissions.ReferenceManage);

        sets.MapPut("/{id:guid}", async (Guid id, CustomFieldSetInput input, UpdateCustomFieldSet update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(id, input, cancellationToken))).RequireAuthorization(Permissions.ReferenceManage);

        sets.MapDelete("/{id:guid}", async (Guid id, DeleteCustomFieldSet delete, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, cancellationToken);
            return TypedResults.NoContent();
        }).RequireAuthorization(Permissions.ReferenceManage);
    }
}
