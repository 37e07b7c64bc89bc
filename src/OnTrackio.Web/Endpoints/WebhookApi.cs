using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using OnTrackio.Identity;
using OnTrackio.Webhooks;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// <c>/api/v1/webhooks</c>: the workspace's endpoints, their secrets (in the answer that creates or rotates one, and
/// never again), and their delivery log with manual redelivery. Admins only (webhooks.manage). Ids are looked up in
/// this host's workspace database, so another workspace's endpoint is simply not found.
/// </summary>
internal static class WebhookApi
{
    public static void MapWebhookApi(this WebApplication app)
    {
        var webhooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Permissions.WebhooksManage);
        webhooks.MapGet("/", async (WebhookQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.ListAsync(cancellationToken)));

        webhooks.MapGet("/event-types", () => TypedResults.Ok(WebhookEventTypes.All));

        webhooks.MapPost("/", async (WebhookInput input, CreateWebhook create, CancellationToken cancellationToken) =>
        {
            var created = await create.ExecuteAsync(input, cancellationToken);
            return TypedResults.Created($"/api/v1/webhooks/{created.Webhook.Id}", created);
        });

        webhooks.MapGet("/{id:guid}", async (Guid id, WebhookQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.GetAsync(id, cancellationToken)));

        webhooks.MapPut("/{id:guid}", async (Guid id, WebhookInput input, UpdateWebhook update, CancellationToken cancellationToken) =>
            TypedResults.Ok(await update.ExecuteAsync(id, input, cancellationToken)));

        webhooks.MapDelete("/{id:guid}", async (Guid id, DeleteWebhook delete, CancellationToken cancellationToken) =>
        {
            await delete.ExecuteAsync(id, cancellationToken);
            return TypedResults.NoContent();
        });

        webhooks.MapPost("/{id:guid}/rotate-secret", async (Guid id, RotateWebhookSecret rotate, CancellationToken cancellationToken) =>
            TypedResults.Ok(await rotate.ExecuteAsync(id, cancellationToken)));

        webhooks.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<WebhookDeliveriesPage>, ValidationProblem>> (
            Guid id, string? before, string? limit, WebhookQueries queries, CancellationToken cancellationToken) =>
        {
            var errors = new Dictionary<string, string[]>();
            long? cursor = null;
            if (!string.IsNullOrEmpty(before))
            {
                if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    cursor = value;
                }
                else
                {
                    errors["before"] = ["'before' is the nextBefore value of the previous page."];
                }
            }

            var size = WebhookQueries.DefaultPageSize;
            if (!string.IsNullOrEmpty(limit)
                && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > WebhookQueries.MaximumPageSize))
            {
                errors["limit"] = [$"'limit' is a number from 1 to {WebhookQueries.MaximumPageSize}."];
            }

            return errors.Count > 0
                ? TypedResults.ValidationProblem(errors, title: "Invalid delivery log query")
                : TypedResults.Ok(await queries.DeliveriesAsync(id, cursor, size, cancellationToken));
        });

        webhooks.MapGet("/{id:guid}/deliveries/{deliveryId:long}", async (Guid id, long deliveryId, WebhookQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.DeliveryAsync(id, deliveryId, cancellationToken)));

        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:long}/redeliver", async (Guid id, long deliveryId, RedeliverWebhook redeliver, CancellationToken cancellationToken) =>
        {
            await redeliver.ExecuteAsync(id, deliveryId, cancellationToken);
            return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries/{deliveryId}");
        });
    }
}
