using Microsoft.AspNetCore.Http.HttpResults;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Endpoints;

public sealed record AuditEntryDto(
    long Id, long? Sequence, DateTimeOffset OccurredAt, string Type, string ActorType, Guid? ActorId, string? ActorLabel, string? Subject,
    string? EntityType, string? EntityId, string? Changes, string? IpAddress, string? UserAgent, string? PreviousHash, string? Hash);

public sealed record AuditEntriesPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

/// <summary>
/// <c>GET /api/v1/audit-events</c>: the viewer's filters and keyset pages as JSON. Read-only, like every path to the
/// audit log: there is no endpoint that changes or removes an entry.
/// </summary>
internal static class AuditApi
{
    public static void MapAuditApi(this WebApplication app)
    {
        app.MapGet("/api/v1/audit-events", async Task<Results<Ok<AuditEntriesPage>, ValidationProblem>> (
            string? type, string? actor, string? entity_type, string? entity_id, string? from, string? to, string? before, string? limit,
            SearchAuditLog search, CancellationToken cancellationToken) =>
        {
            var filter = AuditLogFilter.Parse(type, actor, entity_type, entity_id, from, to, out var errors);
            long? cursor = null;
            if (!string.IsNullOrEmpty(before))
            {
                if (long.TryParse(before, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b))
                {
                    cursor = b;
                }
                else
                {
                    errors["before"] = ["'before' is the nextBefore value of the previous page."];
                }
            }

            var size = SearchAuditLog.DefaultPageSize;
            if (!string.IsNullOrEmpty(limit)
                && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
                    || size < 1 || size > SearchAuditLog.MaximumPageSize))
            {
                errors["limit"] = [$"'limit' is a number from 1 to {SearchAuditLog.MaximumPageSize}."];
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(errors, title: "Invalid audit log query");
            }

            var page = await search.PageAsync(filter, cursor, size, cancellationToken);
            return TypedResults.Ok(new AuditEntriesPage(
                page.Entries.Select(e => new AuditEntryDto(
                    e.Id, e.Sequence, e.OccurredAt, e.Type.ToString(), e.ActorType, e.ActorId, e.ActorLabel, e.Subject,
                    e.EntityType, e.EntityId, e.Changes, e.IpAddress, e.UserAgent, e.PreviousHash, e.Hash)).ToList(),
                page.NextBefore));
        }).RequireAuthorization(Permissions.AuditRead);
    }
}
