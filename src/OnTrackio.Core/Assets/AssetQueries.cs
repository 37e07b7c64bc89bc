using System.Text;
using Microsoft.EntityFrameworkCore;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>The filters of the asset list, shared by <c>GET /api/v1/assets</c> and the /assets page.</summary>
public sealed class AssetFilter
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Matches the start of the tag or the serial, or any part of the name (case-insensitive).</summary>
    public string? Q { get; set; }

    public Guid? Status { get; set; }

    public Guid? Category { get; set; }

    public Guid? Location { get; set; }

    public Guid? Person { get; set; }

    /// <summary>Lists the deleted assets (to restore one) instead of the live ones.</summary>
    public bool? Deleted { get; set; }

    /// <summary>Only assets held by someone who has left or leaves within <see cref="Leavers.NoticeDays"/> days (false: no filter).</summary>
    public bool? HolderLeaving { get; set; }

    /// <summary>Opaque: the <see cref="AssetPage.NextCursor"/> of the previous page.</summary>
    public string? Cursor { get; set; }

    public int? Limit { get; set; }
}

/// <summary>Reads assets: one by id or tag, a filtered page, a timeline. Everything is read from this workspace's database only.</summary>
public sealed class AssetQueries(WorkspaceDbContext db, TimeProvider time)
{
    public async Task<AssetView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await Project(db.Set<Asset>().AsNoTracking().Where(a => a.Id == id)).SingleOrDefaultAsync(cancellationToken);

    public async Task<AssetView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new NotFoundException("This workspace has no asset with that id.");

    /// <summary>The assets with these ids that this workspace has, in tag order (ids of other workspaces simply match nothing).</summary>
    public async Task<IReadOnlyList<AssetView>> ListByIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await Project(db.Set<Asset>().AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Tag)).ToListAsync(cancellationToken);

    public async Task<AssetView?> FindByTagAsync(string tag, CancellationToken cancellationToken) =>
        await Project(db.Set<Asset>().AsNoTracking().Where(a => a.Tag == tag)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// One page in tag order, continuing after the cursor's tag: keyset pagination, so a deep page costs what the
    /// first does (an index range scan), unlike OFFSET.
    /// </summary>
    public async Task<AssetPage> ListAsync(AssetFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var limit = Math.Clamp(filter.Limit ?? AssetFilter.DefaultLimit, 1, AssetFilter.MaxLimit);
        var rows = await Project(Filtered(filter).OrderBy(a => a.Tag).Take(limit + 1)).ToListAsync(cancellationToken);
        var next = rows.Count > limit ? EncodeCursor(rows[limit - 1].Tag) : null;
        return new AssetPage(rows.Count > limit ? rows[..limit] : rows, next);
    }

    /// <summary>Every asset the filter matches from its cursor on, in tag order, read as it is written out (exports).</summary>
    public IAsyncEnumerable<AssetView> StreamAsync(AssetFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Project(Filtered(filter).OrderBy(a => a.Tag)).AsAsyncEnumerable();
    }

    private IQueryable<Asset> Filtered(AssetFilter filter)
    {
        var assets = db.Set<Asset>().AsNoTracking();
        assets = filter.Deleted == true ? assets.Where(a => a.DeletedAt != null) : assets.Where(a => a.DeletedAt == null);
        if (filter.Status is { } status)
        {
            assets = assets.Where(a => a.StatusLabelId == status);
        }

        if (filter.Category is { } category)
        {
            assets = assets.Where(a => db.Set<AssetModel>().Where(m => m.CategoryId == category).Select(m => m.Id).Contains(a.ModelId));
        }

        if (filter.Location is { } location)
        {
            assets = assets.Where(a => a.LocationId == location);
        }

        if (filter.Person is { } person)
        {
            assets = assets.Where(a => a.AssignedPersonId == person);
        }

        if (filter.HolderLeaving == true)
        {
            var horizon = Leavers.Horizon(Leavers.Today(time));
            assets = assets.Where(a => db.Set<Person>().Any(p => p.Id == a.AssignedPersonId && p.LeaveDate != null && p.LeaveDate <= horizon));
        }

        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var q = filter.Q.Trim().ToLowerInvariant();

            // Translated to SQL lower() and LIKE, not run in .NET: the culture and comparison overloads the analyzers
            // ask for have no translation. A trigram index for the name belongs to the benchmark slice.
#pragma warning disable CA1304, CA1311, CA1862
            assets = assets.Where(a => a.Tag.ToLower().StartsWith(q) || (a.Serial != null && a.Serial.ToLower().StartsWith(q)) || (a.Name != null && a.Name.ToLower().Contains(q)));
#pragma warning restore CA1304, CA1311, CA1862
        }

        if (DecodeCursor(filter.Cursor) is { } after)
        {
            // SQL "tag > @after" in the database's own collation, the same one ORDER BY uses (no overload with a comparison translates).
#pragma warning disable CA1309
            assets = assets.Where(a => string.Compare(a.Tag, after) > 0);
#pragma warning restore CA1309
        }

        return assets;
    }

    public async Task<IReadOnlyList<AssetHistoryView>> HistoryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Set<Asset>().AnyAsync(a => a.Id == id, cancellationToken))
        {
            throw new NotFoundException("This workspace has no asset with that id.");
        }

        return await db.Set<AssetHistoryEntry>().AsNoTracking()
            .Where(h => h.AssetId == id)
            .OrderByDescending(h => h.Id)
            .Select(h => new AssetHistoryView(h.Id, h.OccurredAt, h.Action, h.Detail, h.ActorLabel))
            .ToListAsync(cancellationToken);
    }

    private static string EncodeCursor(string tag) => Convert.ToBase64String(Encoding.UTF8.GetBytes(tag)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new OperationRefusedException("The cursor is not one this list issued; start again from the first page.");
        }
    }

    /// <summary>Names come from correlated lookups by primary key, evaluated only for the rows of the page.</summary>
    private IQueryable<AssetView> Project(IQueryable<Asset> assets) => Project(assets, Leavers.Horizon(Leavers.Today(time)));

    private IQueryable<AssetView> Project(IQueryable<Asset> assets, DateOnly leavingBy) =>
        from a in assets
        join m in db.Set<AssetModel>() on a.ModelId equals m.Id
        join c in db.Set<Category>() on m.CategoryId equals c.Id
        join s in db.Set<StatusLabel>() on a.StatusLabelId equals s.Id
        select new AssetView(
            a.Id, a.Tag, a.Serial, a.Name, a.ModelId, m.Name, c.Id, c.Name, a.StatusLabelId, s.Name, s.Kind,
            a.LocationId, db.Set<Location>().Where(l => l.Id == a.LocationId).Select(l => l.Name).FirstOrDefault(),
            a.SupplierId, a.PurchaseDate, a.Cost, a.Currency, a.OrderNumber, a.WarrantyEnd,
            a.PurchaseDate != null && m.EndOfLifeMonths != null ? a.PurchaseDate.Value.AddMonths(m.EndOfLifeMonths.Value) : null,
            a.Notes,
            a.AssignedPersonId != null
                ? new Assignee(
                    "person", a.AssignedPersonId.Value, db.Set<Person>().Where(p => p.Id == a.AssignedPersonId).Select(p => p.Name).First(),
                    db.Set<Person>().Where(p => p.Id == a.AssignedPersonId).Select(p => p.LeaveDate).FirstOrDefault(),
                    db.Set<Person>().Any(p => p.Id == a.AssignedPersonId && p.LeaveDate != null && p.LeaveDate <= leavingBy))
                : a.AssignedLocationId != null
                    ? new Assignee("location", a.AssignedLocationId.Value, db.Set<Location>().Where(l => l.Id == a.AssignedLocationId).Select(l => l.Name).First(), null, false)
                    : a.AssignedAssetId != null
                        ? new Assignee("asset", a.AssignedAssetId.Value, db.Set<Asset>().Where(x => x.Id == a.AssignedAssetId).Select(x => x.Tag).First(), null, false)
                        : null,
            a.CheckedOutAt, a.ExpectedCheckIn, a.CreatedAt, a.UpdatedAt, a.DeletedAt, a.Version);
}
