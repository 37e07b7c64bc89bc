using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Audit;

/// <summary>The viewer's filters, parsed from a query string; every field is optional and they combine with AND.</summary>
public sealed record AuditLogFilter(
    AuditEventType? Type = null, string? Actor = null, string? EntityType = null, string? EntityId = null,
    DateTimeOffset? From = null, DateTimeOffset? Until = null)
{
    /// <summary>
    /// Parses the page's and the API's parameters; <paramref name="errors"/> names each bad one. <c>to</c> as a date
    /// includes that whole day (UTC), which is what a person picking a date range means.
    /// </summary>
    public static AuditLogFilter Parse(
        string? type, string? actor, string? entityType, string? entityId, string? from, string? to, out Dictionary<string, string[]> errors)
    {
        errors = [];
        AuditEventType? parsedType = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            if (Enum.TryParse<AuditEventType>(type.Trim(), ignoreCase: true, out var t) && Enum.IsDefined(t) && !int.TryParse(type, out _))
            {
                parsedType = t;
            }
            else
            {
                errors["type"] = [$"'{type}' is not an audit event type."];
            }
        }

        return new AuditLogFilter(
            parsedType, Blank(actor), Blank(entityType), Blank(entityId),
            ParseDate("from", from, endOfDay: false, errors), ParseDate("to", to, endOfDay: true, errors));
    }

    public bool IsEmpty => this == new AuditLogFilter();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? ParseDate(string name, string? value, bool endOfDay, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(endOfDay ? 1 : 0);
        }

        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        errors[name] = [$"'{value}' is not a date (yyyy-MM-dd) or an ISO 8601 time."];
        return null;
    }
}

/// <summary>One page of entries, newest first, and the cursor of the next (older) page if there is one.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditEvent> Entries, long? NextBefore);

/// <summary>
/// Reads the workspace's audit log for the viewer, the API and the CSV export: filtered, newest first, paged by id
/// (keyset, so a deep page costs what the first does). Read-only by construction: no tracking, no writes.
/// </summary>
public sealed class SearchAuditLog(WorkspaceDbContext db)
{
    public const int DefaultPageSize = 50;
    public const int MaximumPageSize = 500;

    public async Task<AuditLogPage> PageAsync(AuditLogFilter filter, long? before, int size, CancellationToken cancellationToken)
    {
        var query = Query(filter);
        if (before is { } cursor)
        {
            query = query.Where(e => e.Id < cursor);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1).ToListAsync(cancellationToken);
        return rows.Count > size ? new AuditLogPage(rows[..size], rows[size - 1].Id) : new AuditLogPage(rows, null);
    }

    /// <summary>Every matching entry, newest first, streamed so an export of the whole log holds one row at a time.</summary>
    public IAsyncEnumerable<AuditEvent> StreamAsync(AuditLogFilter filter) => Query(filter).OrderByDescending(e => e.Id).AsAsyncEnumerable();

    private IQueryable<AuditEvent> Query(AuditLogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = DateRange(filter).AsNoTracking();
        if (filter.Type is { } type)
        {
            query = query.Where(e => e.Type == type);
        }

        if (filter.Actor is { } actor)
        {
            query = Guid.TryParse(actor, out var actorId)
                ? query.Where(e => e.ActorId == actorId)
                : query.Where(e => e.ActorLabel == actor);
        }

        if (filter.EntityType is { } entityType)
        {
            query = query.Where(e => e.EntityType == entityType);
        }

        if (filter.EntityId is { } entityId)
        {
            query = query.Where(e => e.EntityId == entityId);
        }

        return query;
    }

    /// <summary>
    /// PostgreSQL compares timestamptz natively. SQLite stores DateTimeOffset as text, which EF will not compare; every
    /// chained entry is stored at offset +00:00 in one fixed layout, so comparing that text orders by time.
    /// </summary>
    private IQueryable<AuditEvent> DateRange(AuditLogFilter filter)
    {
        var set = db.Set<AuditEvent>();
        if (db.Database.IsNpgsql())
        {
            IQueryable<AuditEvent> query = set;
            if (filter.From is { } from)
            {
                query = query.Where(e => e.OccurredAt >= from);
            }

            if (filter.Until is { } until)
            {
                query = query.Where(e => e.OccurredAt < until);
            }

            return query;
        }

        var fromText = filter.From is { } f ? StoredTime.SqliteText(f) : null;
        var untilText = filter.Until is { } u ? StoredTime.SqliteText(u) : null;
        return fromText is null && untilText is null
            ? set
            : set.FromSql($"SELECT * FROM audit_events WHERE ({fromText} IS NULL OR occurred_at >= {fromText}) AND ({untilText} IS NULL OR occurred_at < {untilText})");
    }
}
