using OnTrackio.Assets;
using OnTrackio.Identity;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// Bulk changes of assets under <c>/api/v1/assets/bulk</c>: all or nothing, at most 500 assets a request. A refusal is a
/// problem (400 when ids are not in this workspace, else 409) whose <c>errors</c> lists every failing asset:
/// <c>{ id, tag, reason }</c>.
/// </summary>
internal static class BulkAssetApi
{
    public static void MapBulkAssets(this RouteGroupBuilder bulk)
    {
        bulk.MapPost("/update", async (BulkUpdateInput input, BulkUpdateAssets update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(input, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);

        bulk.MapPost("/checkout", async (BulkCheckOutInput input, BulkCheckOutAssets checkOut, CancellationToken cancellationToken) =>
            TypedResults.Ok(await checkOut.ExecuteAsync(input, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);

        bulk.MapPost("/checkin", async (BulkCheckInInput input, BulkCheckInAssets checkIn, CancellationToken cancellationToken) =>
            TypedResults.Ok(await checkIn.ExecuteAsync(input, cancellationToken))).RequireAuthorization(Permissions.AssetsManage);
    }
}
