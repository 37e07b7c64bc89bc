using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using OnTrackio.CustomFields;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>A custom field that has a column in the CSV export.</summary>
public sealed record CustomFieldColumn(Guid FieldId, string Name);

/// <summary>An export: the custom columns, known before the first row is written, and the rows as they are read.</summary>
public sealed record AssetExport(IReadOnlyList<CustomFieldColumn> CustomColumns, IAsyncEnumerable<AssetView> Rows);

/// <summary>Reads assets: one by id or tag, a filtered page, a timeline. Everything is read from this workspace's database only.</summary>
public sealed class AssetQueries(WorkspaceDbContext db, TimeProvider time)
{
    /// <summary>
    /// Rows per query when an export walks the whole list: bounded memory, and one query for their custom values, which
    /// PostgreSQL answers with a scan of the values table once a page has more than a few hundred ids (fewer pages, fewer scans).
    /// </summary>
    public const int ExportBatch = 5000;

    /// <summary>The most search matches read as ids before the page (see <see cref="SearchAsync"/>).</summary>
    public const int SearchCandidates = 2000;

    /// <summary>The most people a search matches by id before it tests each asset's holder instead (see <see cref="SearchAsync"/>).</summary>
    public const int SearchPeople = 500;

    public async Task<AssetView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await OneAsync(db.Set<Asset>().AsNoTracking().Where(a => a.Id == id), cancellationToken);

    public async Task<AssetView> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new NotFoundException("This workspace has no asset with that id.");

    /// <summary>The assets with these ids that this workspace has, in tag order (ids of other workspaces simply match nothing).</summary>
    public async Task<IReadOnlyList<AssetView>> ListByIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await Project(db.Set<Asset>().AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.Tag)).ToListAsync(cancellationToken);

    public async Task<AssetView?> FindByTagAsync(string tag, CancellationToken cancellationToken) =>
        await OneAsync(db.Set<Asset>().AsNoTracking().Where(a => a.Tag == tag), cancellationToken);

    /// <summary>
    /// One page in the filter's order, continuing after the cursor's (key, tag): keyset pagination, so a deep page
    /// costs what the first does (an index range scan on the sort's index), unlike OFFSET.
    /// </summary>
    public async Task<AssetPage> ListAsync(AssetFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var list = await PrepareAsync(filter, cancellationToken);
        var (rows, next) = await PageAsync(list, list.Cursor, list.Limit, cancellationToken);
        return new AssetPage(rows, next is null ? null : AssetCursor.Encode(list.Order, next));
    }

    /// <summary>
    /// Every asset the filter matches from its cursor on, in its order, with a column for each custom field that any
    /// asset holds a value for (by name, so the columns do not move with the filter). The filter is checked here,
    /// before anything is written, so a refusal is still a clean 400.
    /// </summary>
    public async Task<AssetExport> ExportAsync(AssetFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var list = await PrepareAsync(filter, cancellationToken);
        var columns = await db.Set<CustomField>().AsNoTracking()
            .Where(f => db.Set<AssetFieldValue>().Any(v => v.FieldId == f.Id))
            .OrderBy(f => f.Name)
            .Select(f => new CustomFieldColumn(f.Id, f.Name))
            .ToListAsync(cancellationToken);
        return new AssetExport(columns, RowsAsync(list, cancellationToken));
    }

    /// <summary>Every asset the filter matches from its cursor on, in its order, read a batch at a time.</summary>
    public async IAsyncEnumerable<AssetView> StreamAsync(AssetFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var list = await PrepareAsync(filter, cancellationToken);
        await foreach (var row in RowsAsync(list, cancellationToken))
        {
            yield return row;
        }
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

    private sealed record PreparedList(IQueryable<Asset> Assets, AssetListOrder Order, AssetCursor? Cursor, int Limit);

    /// <remarks>
    /// One query (two across the step to key-less rows) per batch, never an open reader across batches: the custom
    /// values of each batch are read on the same connection. The next batch is read while the caller writes this one
    /// out, so the database and the writer work at once (an export spends about as long in each); only that read
    /// uses the context meanwhile.
    /// </remarks>
    private async IAsyncEnumerable<AssetView> RowsAsync(PreparedList list, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<(List<AssetView> Rows, AssetView? Next)>? reading = PageAsync(list, list.Cursor, ExportBatch, cancellationToken);
        try
        {
            while (reading is not null)
            {
                var (rows, next) = await reading;
                reading = next is null ? null : PageAsync(list, new AssetCursor(list.Order.KeyOf(next), next.Tag), ExportBatch, cancellationToken);
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }
        finally
        {
            // A caller that stops early (a dropped download) leaves a read running; the context is not let go under it.
            if (reading is not null)
            {
                await reading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Checks the whole filter at once (every reason in one refusal), then builds its query.</summary>
    private async Task<PreparedList> PrepareAsync(AssetFilter filter, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var order = AssetListOrder.Parse(filter.Sort, filter.Dir, check);
        var assets = await FilteredAsync(filter, check, cancellationToken);
        check.ThrowIfInvalid();
        var cursor = AssetCursor.Decode(filter.Cursor, order);
        return new PreparedList(assets, order, cursor, Math.Clamp(filter.Limit ?? AssetFilter.DefaultLimit, 1, AssetFilter.MaxLimit));
    }

    /// <summary>
    /// Up to <paramref name="limit"/> rows after <paramref name="after"/>, and the last of them when more follow. Rows
    /// with a sort key come first, read along the sort's index; then the rows without one, in tag order. Each half is
    /// its own range scan; nulls-first or nulls-last in one ORDER BY would not match the index in both directions.
    /// </summary>
    private async Task<(List<AssetView> Rows, AssetView? Next)> PageAsync(PreparedList list, AssetCursor? after, int limit, CancellationToken cancellationToken)
    {
        var take = limit + 1;
        var order = list.Order;
        List<AssetView> rows = [];
        if (order.Key == AssetSortKey.Tag)
        {
            rows = await Project(ByTag(list.Assets, order.Descending, after?.Tag).Take(take)).ToListAsync(cancellationToken);
        }
        else
        {
            if (after is null || after.Key is not null)
            {
                rows = await Project(KeyedAfter(list.Assets, order, after).Take(take)).ToListAsync(cancellationToken);
            }

            if (rows.Count < take && order.Key != AssetSortKey.UpdatedAt)
            {
                var keyless = ByTag(list.Assets.Where(KeyIsNull(order.Key)), order.Descending, after is { Key: null } ? after.Tag : null);
                rows.AddRange(await Project(keyless.Take(take - rows.Count)).ToListAsync(cancellationToken));
            }
        }

        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveRange(limit, rows.Count - limit);
        }

        rows = await WithCustomValuesAsync(rows, cancellationToken);
        return (rows, more ? rows[^1] : null);
    }

    // "tag > @after" in the database's own collation, the one ORDER BY uses (no overload with a comparison translates).
#pragma warning disable CA1309
    private static IQueryable<Asset> ByTag(IQueryable<Asset> assets, bool descending, string? after) => (descending, after) switch
    {
        (false, null) => assets.OrderBy(a => a.Tag),
        (true, null) => assets.OrderByDescending(a => a.Tag),
        (false, _) => assets.Where(a => string.Compare(a.Tag, after) > 0).OrderBy(a => a.Tag),
        (true, _) => assets.Where(a => string.Compare(a.Tag, after) < 0).OrderByDescending(a => a.Tag),
    };

    private static Expression<Func<Asset, bool>> KeyIsNull(AssetSortKey key) => key switch
    {
        AssetSortKey.Name => a => a.Name == null,
        AssetSortKey.WarrantyEnd => a => a.WarrantyEnd == null,
        AssetSortKey.PurchaseDate => a => a.PurchaseDate == null,
        _ => a => false,
    };

    /// <summary>
    /// Rows with a key, after (key, tag), as "key ≥ k AND (key > k OR tag > t)": the first half is the index range
    /// condition, the second a filter on the rows it reads, and the order is the index's, so the scan stops at the limit.
    /// </summary>
    private IQueryable<Asset> KeyedAfter(IQueryable<Asset> assets, AssetListOrder order, AssetCursor? after)
    {
        var t = after?.Tag;
        switch (order.Key)
        {
            case AssetSortKey.Name:
                assets = assets.Where(a => a.Name != null);
                if (after?.Key is { } name)
                {
                    assets = order.Descending
                        ? assets.Where(a => string.Compare(a.Name, name) <= 0 && (string.Compare(a.Name, name) < 0 || string.Compare(a.Tag, t) < 0))
                        : assets.Where(a => string.Compare(a.Name, name) >= 0 && (string.Compare(a.Name, name) > 0 || string.Compare(a.Tag, t) > 0));
                }

                return order.Descending ? assets.OrderByDescending(a => a.Name).ThenByDescending(a => a.Tag) : assets.OrderBy(a => a.Name).ThenBy(a => a.Tag);
            case AssetSortKey.WarrantyEnd:
                assets = assets.Where(a => a.WarrantyEnd != null);
                if (after?.Key is not null)
                {
                    var date = after.Date;
                    assets = order.Descending
                        ? assets.Where(a => a.WarrantyEnd <= date && (a.WarrantyEnd < date || string.Compare(a.Tag, t) < 0))
                        : assets.Where(a => a.WarrantyEnd >= date && (a.WarrantyEnd > date || string.Compare(a.Tag, t) > 0));
                }

                return order.Descending ? assets.OrderByDescending(a => a.WarrantyEnd).ThenByDescending(a => a.Tag) : assets.OrderBy(a => a.WarrantyEnd).ThenBy(a => a.Tag);
            case AssetSortKey.PurchaseDate:
                assets = assets.Where(a => a.PurchaseDate != null);
                if (after?.Key is not null)
                {
                    var date = after.Date;
                    assets = order.Descending
                        ? assets.Where(a => a.PurchaseDate <= date && (a.PurchaseDate < date || string.Compare(a.Tag, t) < 0))
                        : assets.Where(a => a.PurchaseDate >= date && (a.PurchaseDate > date || string.Compare(a.Tag, t) > 0));
                }

                return order.Descending ? assets.OrderByDescending(a => a.PurchaseDate).ThenByDescending(a => a.Tag) : assets.OrderBy(a => a.PurchaseDate).ThenBy(a => a.Tag);
            default:
                return db.Database.IsNpgsql() ? UpdatedAfter(assets, order.Descending, after) : UpdatedAfterAsText(assets, order.Descending, after);
        }
    }

    private static IQueryable<Asset> UpdatedAfter(IQueryable<Asset> assets, bool descending, AssetCursor? after)
    {
        if (after is not null)
        {
            var (at, t) = (after.Instant, after.Tag);
            assets = descending
                ? assets.Where(a => a.UpdatedAt <= at && (a.UpdatedAt < at || string.Compare(a.Tag, t) < 0))
                : assets.Where(a => a.UpdatedAt >= at && (a.UpdatedAt > at || string.Compare(a.Tag, t) > 0));
        }

        return descending ? assets.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Tag) : assets.OrderBy(a => a.UpdatedAt).ThenBy(a => a.Tag);
    }

#pragma warning disable CA1305 // ToString() is translated to SQL CAST(... AS TEXT); a culture overload has no translation.
    /// <summary>
    /// SQLite keeps a DateTimeOffset as text and EF will neither order nor compare it; every UpdatedAt is written at
    /// offset +00:00 in one layout ("yyyy-MM-dd HH:mm:ss.FFFFFFF+00:00"), whose text order is time order.
    /// </summary>
    private static IQueryable<Asset> UpdatedAfterAsText(IQueryable<Asset> assets, bool descending, AssetCursor? after)
    {
        if (after is not null)
        {
            var at = StoredTime.SqliteText(after.Instant);
            var t = after.Tag;
            assets = descending
                ? assets.Where(a => string.Compare(a.UpdatedAt.ToString(), at) <= 0 && (string.Compare(a.UpdatedAt.ToString(), at) < 0 || string.Compare(a.Tag, t) < 0))
                : assets.Where(a => string.Compare(a.UpdatedAt.ToString(), at) >= 0 && (string.Compare(a.UpdatedAt.ToString(), at) > 0 || string.Compare(a.Tag, t) > 0));
        }

        return descending
            ? assets.OrderByDescending(a => a.UpdatedAt.ToString()).ThenByDescending(a => a.Tag)
            : assets.OrderBy(a => a.UpdatedAt.ToString()).ThenBy(a => a.Tag);
    }
#pragma warning restore CA1305
#pragma warning restore CA1309

    /// <summary>
    /// The filter's predicates, each one an index condition: tag, status, model, location, person and the sort keys
    /// have partial indexes over live rows, the search has trigram indexes, custom values (field, value, asset).
    /// Problems go to <paramref name="check"/>, so a request hears every reason at once.
    /// </summary>
    private async Task<IQueryable<Asset>> FilteredAsync(AssetFilter filter, InputCheck check, CancellationToken cancellationToken)
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
            var places = await LocationAndInsideAsync(location, cancellationToken);
            assets = assets.Where(a => places.Contains(a.LocationId));
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
            assets = await SearchAsync(assets, filter.Q, filter.Deleted == true, cancellationToken);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (Window(filter.WarrantyWithinDays, filter.WarrantyExpired, "warrantyWithinDays", "warrantyExpired", check) is { } warrantyDays)
        {
            var end = today.AddDays(warrantyDays);
            assets = assets.Where(a => a.WarrantyEnd >= today && a.WarrantyEnd <= end);
        }
        else if (filter.WarrantyExpired == true)
        {
            assets = assets.Where(a => a.WarrantyEnd < today);
        }

        var endOfLifeDays = Window(filter.EndOfLifeWithinDays, filter.EndOfLifePassed, "endOfLifeWithinDays", "endOfLifePassed", check);
        if (endOfLifeDays is not null || filter.EndOfLifePassed == true)
        {
            assets = assets.Where(await EndOfLifeAsync(today, endOfLifeDays, cancellationToken));
        }

        return await CustomFieldFiltersAsync(assets, filter, check, cancellationToken);
    }

    /// <summary>
    /// The start of the tag or serial, any part of the name, the person holding it (any part of their name, the start
    /// of their email) or its model (any part of the name, the start of the model number), as lower(column) LIKE
    /// pattern, which PostgreSQL answers from the trigram indexes on lower(tag), lower(serial) and lower(name).
    /// </summary>
    /// <remarks>
    /// The matching people and models are read first, as ids (a trigram index on people's names; models are few), so
    /// the assets they hold or are are an IN list on the person and model indexes. A term matching more than
    /// <see cref="SearchPeople"/> people is tested per asset instead. The matching asset ids are then read with
    /// nothing to order by, so the indexes answer: the planner cannot tell how selective a LIKE is, and with an ORDER BY
    /// it walks the sort index filtering every row, which for a rare term means reading the whole register. Up to
    /// <see cref="SearchCandidates"/> ids, the page is then read by primary key; a term that matches more is common
    /// enough that walking the sort index finds a page of matches soon, and is left to do that.
    /// </remarks>
    private async Task<IQueryable<Asset>> SearchAsync(IQueryable<Asset> assets, string term, bool deleted, CancellationToken cancellationToken)
    {
        var q = term.Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var (prefix, anywhere) = (q + "%", "%" + q + "%");

        // The analyzers' culture overloads of ToLower have no SQL translation.
#pragma warning disable CA1304, CA1311
        Expression<Func<Person, bool>> personMatches = p => EF.Functions.Like(p.Name.ToLower(), anywhere, "\\")
            || EF.Functions.Like(p.Email!.ToLower(), prefix, "\\");
        var models = await db.Set<AssetModel>().AsNoTracking()
            .Where(m => EF.Functions.Like(m.Name.ToLower(), anywhere, "\\") || EF.Functions.Like(m.ModelNumber!.ToLower(), prefix, "\\"))
            .Select(m => m.Id).ToListAsync(cancellationToken);
        var people = await db.Set<Person>().AsNoTracking().Where(personMatches).Select(p => (Guid?)p.Id).Take(SearchPeople + 1).ToListAsync(cancellationToken);
        Expression<Func<Asset, bool>> own = a => EF.Functions.Like(a.Tag.ToLower(), prefix, "\\")
            || EF.Functions.Like(a.Serial!.ToLower(), prefix, "\\")
            || EF.Functions.Like(a.Name!.ToLower(), anywhere, "\\")
            || models.Contains(a.ModelId);
        Expression<Func<Asset, bool>> matches = people.Count == 0
            ? own
            : people.Count <= SearchPeople
                ? Or(own, a => people.Contains(a.AssignedPersonId))
                : Or(own, a => db.Set<Person>().Where(personMatches).Any(p => p.Id == a.AssignedPersonId));
#pragma warning restore CA1304, CA1311
        var candidates = db.Set<Asset>().AsNoTracking();

        // Chosen here, not in SQL, so the planner can prove the trigram indexes' "deleted_at IS NULL" for live rows.
        candidates = deleted ? candidates.Where(a => a.DeletedAt != null) : candidates.Where(a => a.DeletedAt == null);
        var ids = await SearchCandidatesAsync(candidates.Where(matches).Select(a => a.Id).Take(SearchCandidates + 1), cancellationToken);
        return ids.Count <= SearchCandidates ? assets.Where(a => ids.Contains(a.Id)) : assets.Where(matches);
    }

    private static Expression<Func<Asset, bool>> Or(Expression<Func<Asset, bool>> left, Expression<Func<Asset, bool>> right) =>
        Expression.Lambda<Func<Asset, bool>>(
            Expression.OrElse(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)), left.Parameters);

    /// <summary>
    /// PostgreSQL guesses any LIKE matches 1% of rows and, believing that, prefers reading all of them to the trigram
    /// indexes; so for this one query, in its own transaction, it is told not to scan the table. SQLite has no such index.
    /// </summary>
    private async Task<List<Guid>> SearchCandidatesAsync(IQueryable<Guid> ids, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return await ids.ToListAsync(cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off", cancellationToken);
        var found = await ids.ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return found;
    }

    private static int? Window(int? days, bool? past, string daysName, string pastName, InputCheck check)
    {
        if (days is null)
        {
            return null;
        }

        if (days is < 1 or > AssetFilter.MaxWindowDays)
        {
            check.Fail($"{daysName} must be between 1 and {AssetFilter.MaxWindowDays}.");
            return null;
        }

        if (past == true)
        {
            check.Fail($"Choose {daysName} or {pastName}, not both.");
        }

        return days;
    }

    /// <summary>
    /// The location and every location inside it, to any depth. Locations are few, so the tree is read once and walked
    /// here, which works the same on both engines; the assets are then one IN list on the location index.
    /// </summary>
    private async Task<List<Guid?>> LocationAndInsideAsync(Guid location, CancellationToken cancellationToken)
    {
        var children = (await db.Set<Location>().AsNoTracking().Where(l => l.ParentId != null).Select(l => new { l.Id, l.ParentId }).ToListAsync(cancellationToken))
            .ToLookup(l => l.ParentId!.Value, l => l.Id);
        var found = new List<Guid?> { location };
        var seen = new HashSet<Guid> { location };
        var queue = new Queue<Guid>([location]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var child in children[parent].Where(seen.Add))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>
    /// End of life is the purchase date plus the model's months, so it is not a column. Models are few and share few
    /// lifetimes: for each lifetime, the window on end of life is a window on the purchase date (the purchase-date range
    /// whose end of life falls in it, month-end clamping included), giving "model IN (…) AND purchase_date BETWEEN …".
    /// </summary>
    private async Task<Expression<Func<Asset, bool>>> EndOfLifeAsync(DateOnly today, int? withinDays, CancellationToken cancellationToken)
    {
        var lifetimes = await db.Set<AssetModel>().AsNoTracking().Where(m => m.EndOfLifeMonths != null)
            .Select(m => new { m.Id, Months = m.EndOfLifeMonths!.Value }).ToListAsync(cancellationToken);
        Expression<Func<Asset, bool>>? any = null;
        foreach (var lifetime in lifetimes.GroupBy(m => m.Months))
        {
            var models = lifetime.Select(m => m.Id).ToList();
            var from = FirstPurchaseReaching(today, lifetime.Key);
            Expression<Func<Asset, bool>> part;
            if (withinDays is { } days)
            {
                var until = FirstPurchaseReaching(today.AddDays(days + 1), lifetime.Key);
                part = a => models.Contains(a.ModelId) && a.PurchaseDate >= from && a.PurchaseDate < until;
            }
            else
            {
                part = a => models.Contains(a.ModelId) && a.PurchaseDate < from;
            }

            any = any is null ? part : Or(any, part);
        }

        return any ?? (a => false);
    }

    /// <summary>The earliest purchase date whose end of life (plus <paramref name="months"/>, clamped to month end as SQL does) is on or after <paramref name="day"/>.</summary>
    internal static DateOnly FirstPurchaseReaching(DateOnly day, int months)
    {
        var purchase = day.AddMonths(-months);
        while (purchase.AddMonths(months) < day)
        {
            purchase = purchase.AddDays(1);
        }

        while (purchase.AddDays(-1).AddMonths(months) >= day)
        {
            purchase = purchase.AddDays(-1);
        }

        return purchase;
    }

    /// <summary>
    /// <c>cf.&lt;field id&gt;=value</c>: the value is read with the field's type ("Yes" and "true" are one boolean, "16.0"
    /// and "16" one number), then matched exactly against the canonical text stored, on the (field, value, asset) index.
    /// </summary>
    private async Task<IQueryable<Asset>> CustomFieldFiltersAsync(IQueryable<Asset> assets, AssetFilter filter, InputCheck check, CancellationToken cancellationToken)
    {
        if (filter.CustomFields.Count == 0)
        {
            return assets;
        }

        var wanted = new List<(Guid FieldId, string Value)>();
        foreach (var (key, value) in filter.CustomFields)
        {
            if (Guid.TryParse(key, out var fieldId))
            {
                wanted.Add((fieldId, value));
            }
            else
            {
                check.Fail($"'{AssetFilter.CustomFieldPrefix}{key}' does not name a custom field: write {AssetFilter.CustomFieldPrefix}<field id>=value.");
            }
        }

        var ids = wanted.Select(w => w.FieldId).ToList();
        var fields = await db.Set<CustomField>().AsNoTracking().Where(f => ids.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        foreach (var (fieldId, raw) in wanted)
        {
            if (!fields.TryGetValue(fieldId, out var field))
            {
                check.Fail($"This workspace has no custom field with id {fieldId}.");
                continue;
            }

            // A filter looks for a value; "required" is about saving one.
            field.Required = false;
            if (CustomFieldValues.Normalize(field, raw, check) is { } value)
            {
                assets = assets.Where(a => db.Set<AssetFieldValue>().Any(v => v.FieldId == fieldId && v.Value == value && v.AssetId == a.Id));
            }
        }

        return assets;
    }

    private async Task<AssetView?> OneAsync(IQueryable<Asset> asset, CancellationToken cancellationToken)
    {
        var row = await Project(asset).SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : (await WithCustomValuesAsync([row], cancellationToken))[0];
    }

    /// <summary>
    /// The custom values of a page of assets, by one query on the values' primary key: each value with its field, and
    /// its place in the set that applies to the asset's model (the model's set, else its category's); values outside
    /// that set go last, by name. The places come from <see cref="SetPositionsAsync"/>, read once per request: joining
    /// the assets, models and categories into this query made PostgreSQL hash-join a scan of the whole register for
    /// every page (80 ms a page of 1,000; the whole export's time).
    /// </summary>
    private async Task<List<AssetView>> WithCustomValuesAsync(List<AssetView> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var ids = rows.Select(r => r.Id).ToList();
        var values = await (
            from v in db.Set<AssetFieldValue>()
            join f in db.Set<CustomField>() on v.FieldId equals f.Id
            where ids.Contains(v.AssetId)
            select new { v.AssetId, Value = new AssetCustomValue(f.Id, f.Name, f.Type, v.Value) }).AsNoTracking().ToListAsync(cancellationToken);
        if (values.Count == 0)
        {
            return rows;
        }

        var positions = await SetPositionsAsync(cancellationToken);
        var byAsset = values.ToLookup(v => v.AssetId, v => v.Value);
        return [.. rows.Select(r => r with
        {
            CustomFields = [.. byAsset[r.Id]
                .OrderBy(v => positions.TryGetValue((r.ModelId, v.FieldId), out var position) ? position : int.MaxValue)
                .ThenBy(v => v.Name, StringComparer.Ordinal)],
        })];
    }

    private Dictionary<(Guid ModelId, Guid FieldId), int>? _setPositions;

    /// <summary>
    /// Each model's fields and their places in the set that applies to it (the model's, else its category's). Models
    /// and sets are few: read once for the request, so an export's pages do not read them again.
    /// </summary>
    private async Task<Dictionary<(Guid ModelId, Guid FieldId), int>> SetPositionsAsync(CancellationToken cancellationToken)
    {
        if (_setPositions is not null)
        {
            return _setPositions;
        }

        var sets = await (
            from m in db.Set<AssetModel>()
            join c in db.Set<Category>() on m.CategoryId equals c.Id
            select new { ModelId = m.Id, SetId = m.FieldSetId ?? c.FieldSetId }).AsNoTracking().ToListAsync(cancellationToken);
        var members = (await db.Set<CustomFieldSetMember>().AsNoTracking().ToListAsync(cancellationToken)).ToLookup(s => s.SetId);
        _setPositions = [];
        foreach (var model in sets.Where(s => s.SetId is not null))
        {
            foreach (var member in members[model.SetId!.Value])
            {
                _setPositions[(model.ModelId, member.FieldId)] = member.Position;
            }
        }

        return _setPositions;
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
