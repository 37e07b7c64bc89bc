using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OnTrackio.WorkspaceData;

/// <summary>
/// Comparing a stored point in time on either engine. PostgreSQL compares timestamptz natively. SQLite keeps a
/// DateTimeOffset as text, which EF will neither compare nor order; every time this code writes is UTC (offset +00:00)
/// in one layout, "yyyy-MM-dd HH:mm:ss.FFFFFFF+00:00", whose text order is time order.
/// </summary>
public static class StoredTime
{
    /// <summary>A time as SQLite holds it, for comparing with the stored text.</summary>
    public static string SqliteText(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    /// <summary>The rows whose <paramref name="time"/> is before <paramref name="cutoff"/>, as a query either engine runs.</summary>
    public static IQueryable<T> WhereBefore<T>(
        this IQueryable<T> rows, DatabaseFacade database, Expression<Func<T, DateTimeOffset>> time, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);

        // Read through a closure, so EF sends the value as a parameter rather than writing it into the SQL.
        Expression body;
        if (database.IsNpgsql())
        {
            var value = new Closure<DateTimeOffset>(cutoff);
            body = Expression.LessThan(time.Body, Expression.Property(Expression.Constant(value), nameof(value.Value)));
        }
        else
        {
            var value = new Closure<string>(SqliteText(cutoff));
            var compare = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;
            var asText = Expression.Call(time.Body, typeof(DateTimeOffset).GetMethod(nameof(ToString), Type.EmptyTypes)!);
            body = Expression.LessThan(
                Expression.Call(compare, asText, Expression.Property(Expression.Constant(value), nameof(value.Value))),
                Expression.Constant(0));
        }

        return rows.Where(Expression.Lambda<Func<T, bool>>(body, time.Parameters));
    }

    private sealed class Closure<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }
}
