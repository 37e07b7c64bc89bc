using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Assets;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Dashboard;

/// <summary>A headline figure; <see cref="Link"/> opens the list it counts, when the list has a filter for it.</summary>
public sealed record DashboardCount(string Key, string Label, int Count, string? Link = null);

/// <summary>One bar of a chart.</summary>
public sealed record ChartBar(string Label, int Count);

/// <summary>How many warranties (or lives) end within the next <see cref="Days"/> days, and the list of them.</summary>
public sealed record DateWindow(int Days, int Count, string Link);

public sealed record RecentActivity(Guid AssetId, string Tag, string? AssetName, DateTimeOffset OccurredAt, string Action, string? Detail, string? ActorLabel);

public sealed record DashboardView(
    IReadOnlyList<DashboardCount> Counts,
    IReadOnlyList<ChartBar> ByStatus,
    IReadOnlyList<ChartBar> ByCategory,
    IReadOnlyList<DateWindow> Warranties,
    IReadOnlyList<DateWindow> EndsOfLife,
    IReadOnlyList<RecentActivity> Recent);

/// <summary>
/// The workspace home's figures, from five small queries (GROUP BY and COUNT in the database: two passes over the live
/// assets, one index range scan), never by loading assets. Deleted assets are not counted.
/// </summary>
public sealed class DashboardQueries(WorkspaceDbContext db, LeaverQueries leavers, TimeProvider time)
{
    public const int RecentLines = 10;

    /// <summary>Categories beyond this many are summed into one "Other" bar, so the chart stays readable.</summary>
    public const int MaxCategoryBars = 10;

    public async Task<DashboardView> LoadAsync(CancellationToken cancellationToken)
    {
        var live = db.Set<Asset>().AsNoTracking().Where(a => a.DeletedAt == null);

        // 1. One pass over the live assets, grouped by status kind, whether the asset is out ("deployed" is derived,
        // never stored) and category: both charts and every headline count come from these few rows.
        var groups = await (
            from a in live
            join s in db.Set<StatusLabel>() on a.StatusLabelId equals s.Id
            join m in db.Set<AssetModel>() on a.ModelId equals m.Id
            group a by new { s.Kind, Out = a.AssignedPersonId != null || a.AssignedLocationId != null || a.AssignedAssetId != null, m.CategoryId } into g
            select new { g.Key.Kind, g.Key.Out, g.Key.CategoryId, Count = g.Count() }).ToListAsync(cancellationToken);
        int Kind(StatusKind kind, bool? checkedOut = null) =>
            groups.Where(s => s.Kind == kind && (checkedOut is null || s.Out == checkedOut)).Sum(s => s.Count);
        var deployed = Kind(StatusKind.Deployable, checkedOut: true);
        var ready = Kind(StatusKind.Deployable, checkedOut: false);
        var pending = Kind(StatusKind.Pending);
        var undeployable = Kind(StatusKind.Undeployable);
        var archived = Kind(StatusKind.Archived);
        var counts = new List<DashboardCount>
        {
            new("total", "Assets", groups.Sum(s => s.Count), "/assets"),
            new("deployed", "Deployed", deployed),
            new("ready", "Ready to deploy", ready),
            new("pending", "Pending", pending),
            new("undeployable", "Undeployable", undeployable),
            new("archived", "Archived", archived),
            new("leavers", "Held by leavers", await leavers.CountHeldByLeaversAsync(cancellationToken), "/assets?holderLeaving=true"),
        };

        // 2. Category names (a handful of rows).
        var names = await db.Set<Category>().AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var categories = groups.GroupBy(g => g.CategoryId)
            .Select(g => new ChartBar(names.GetValueOrDefault(g.Key) ?? "?", g.Sum(x => x.Count)))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();
        var categoryBars = categories.Take(MaxCategoryBars).ToList();
        if (categories.Count > MaxCategoryBars)
        {
            categoryBars.Add(new ChartBar("Other categories", categories.Skip(MaxCategoryBars).Sum(c => c.Count)));
        }

        // 3. Warranties ending in the next 90 days, by 30-day bucket: a range scan of the (warranty_end, tag) index
        // over live rows. Ends of life (purchase date + the model's months) are computed, so that is one more pass.
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var (d30, d60, d90) = (today.AddDays(30), today.AddDays(60), today.AddDays(90));
        var warranties = await live
            .Where(a => a.WarrantyEnd >= today && a.WarrantyEnd <= d90)
            .GroupBy(a => a.WarrantyEnd <= d30 ? 30 : a.WarrantyEnd <= d60 ? 60 : 90)
            .Select(g => new { Days = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Days, g => g.Count, cancellationToken);
        var lives = await (
            from a in live
            join m in db.Set<AssetModel>() on a.ModelId equals m.Id
            where a.PurchaseDate != null && m.EndOfLifeMonths != null
            select a.PurchaseDate!.Value.AddMonths(m.EndOfLifeMonths!.Value) into end
            where end >= today && end <= d90
            group end by end <= d30 ? 30 : end <= d60 ? 60 : 90 into g
            select new { Days = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Days, g => g.Count, cancellationToken);

        // 4. The last lines of every asset's timeline (the primary key orders them; no scan).
        var recent = await (
            from h in db.Set<AssetHistoryEntry>().AsNoTracking().OrderByDescending(h => h.Id).Take(RecentLines)
            join a in db.Set<Asset>() on h.AssetId equals a.Id
            orderby h.Id descending
            select new RecentActivity(a.Id, a.Tag, a.Name, h.OccurredAt, h.Action, h.Detail, h.ActorLabel)).ToListAsync(cancellationToken);

        return new DashboardView(
            counts,
            [
                new("Deployed", deployed),
                new("Ready to deploy", ready),
                new("Pending", pending),
                new("Undeployable", undeployable),
                new("Archived", archived),
            ],
            categoryBars,
            Windows(warranties, WarrantyLink),
            Windows(lives, EndOfLifeLink),
            recent);
    }

    /// <summary>30, 60 and 90 days from 30-day buckets: each window holds the buckets up to it.</summary>
    private static List<DateWindow> Windows(Dictionary<int, int> buckets, Func<int, string> link)
    {
        var windows = new List<DateWindow>();
        var running = 0;
        foreach (var days in (int[])[30, 60, 90])
        {
            running += buckets.GetValueOrDefault(days);
            windows.Add(new DateWindow(days, running, link(days)));
        }

        return windows;
    }

    /// <summary>The asset list filtered to warranties ending within <paramref name="days"/> days (the list's warrantyWithinDays filter).</summary>
    public static string WarrantyLink(int days) => $"/assets?warrantyWithinDays={days}";

    /// <summary>The asset list filtered to ends of life within <paramref name="days"/> days (the list's endOfLifeWithinDays filter).</summary>
    public static string EndOfLifeLink(int days) => $"/assets?endOfLifeWithinDays={days}";
}

public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddDashboard(this IServiceCollection services) => services.AddScoped<DashboardQueries>();
}
