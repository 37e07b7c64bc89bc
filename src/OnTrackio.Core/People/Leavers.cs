using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.WorkspaceData;

namespace OnTrackio.People;

/// <summary>
/// A person with a leave date is a leaver from that date; what they hold must come back. The flag is computed from the
/// leave date and today's date at every read, never stored, so it cannot go stale when the date passes or changes.
/// </summary>
public static class Leavers
{
    /// <summary>Items held by someone leaving within this many days are flagged, so there is time to recover them.</summary>
    public const int NoticeDays = 30;

    /// <summary>Today's date in UTC: leave dates are calendar dates without a zone, like every date of the register.</summary>
    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    /// <summary>The last leave date that counts as leaving, seen from <paramref name="today"/>.</summary>
    public static DateOnly Horizon(DateOnly today) => today.AddDays(NoticeDays);

    public static bool IsLeaving(DateOnly? leaveDate, DateOnly today) => leaveDate is { } date && date <= Horizon(today);
}

/// <summary>What leavers hold, for the dashboard and the people pages.</summary>
public sealed class LeaverQueries(WorkspaceDbContext db, TimeProvider time)
{
    /// <summary>Live assets checked out to someone who has left or leaves within <see cref="Leavers.NoticeDays"/> days.</summary>
    public Task<int> CountHeldByLeaversAsync(CancellationToken cancellationToken)
    {
        var horizon = Leavers.Horizon(Leavers.Today(time));
        return db.Set<Asset>().CountAsync(
            a => a.DeletedAt == null && db.Set<Person>().Any(p => p.Id == a.AssignedPersonId && p.LeaveDate != null && p.LeaveDate <= horizon),
            cancellationToken);
    }
}
