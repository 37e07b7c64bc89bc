using Microsoft.EntityFrameworkCore;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// What one kind of file (assets, people, models) does with its rows. The same code checks a file for the dry run and
/// for the commit, so a commit can never accept what the dry run would have rejected: with <c>apply</c> it also
/// changes the tracked entities and adds their audit entries, and the runner saves each batch.
/// </summary>
internal abstract class ImportRows
{
    /// <summary>The rows applying a batch adds, for <see cref="ImportSave"/> to write; changes to existing rows are tracked by EF.</summary>
    public NewRows Added { get; } = new();

    /// <summary>Reads everything the checks look names up in, once, into memory: no row costs a query of its own.</summary>
    public abstract Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Sees every row once before any is checked (the runner counts rows then), for checks that need the whole file.</summary>
    public virtual void Observe(ImportRow row)
    {
    }

    /// <summary>Checks a batch of rows in file order, tallies each, and with <paramref name="apply"/> makes the changes.</summary>
    public abstract Task CheckAsync(IReadOnlyList<ImportRow> batch, ImportTally tally, bool apply, CancellationToken cancellationToken);

    /// <summary>What is left once every row is applied and saved (links between rows of the file).</summary>
    public virtual Task FinishAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Trimmed, or null when blank.</summary>
    protected static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    protected static string Quote(string value) => value.Length <= 80 ? $"'{value}'" : $"'{value[..80]}…'";

    /// <summary>The id of the item named in a row's field, or a message: blank is null, unknown or ambiguous is an error.</summary>
    protected static Guid? Reference(NameLookup lookup, string? typed, string noun, InputCheck check, string? ambiguousHint = null)
    {
        if (Clean(typed) is not { } name)
        {
            return null;
        }

        if (lookup.Find(name, out var ambiguous) is { } id)
        {
            return id;
        }

        check.Fail(ambiguous
            ? $"More than one {noun} is named {Quote(name)}{ambiguousHint}."
            : $"There is no {noun} named {Quote(name)} in this workspace; add it first (nothing is created by an import but the rows themselves).");
        return null;
    }

    /// <summary>Every location by its path ("Berlin / Floor 1") and by its own name, which several may share.</summary>
    protected static async Task<NameLookup> LocationsAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Set<Location>().AsNoTracking().Select(l => new { l.Id, l.Name, l.ParentId }).ToListAsync(cancellationToken);
        var byId = rows.ToDictionary(r => r.Id);
        var lookup = new NameLookup();
        foreach (var row in rows)
        {
            var path = new List<string> { row.Name.Trim() };
            var parent = row.ParentId;
            for (var depth = 0; parent is { } id && byId.TryGetValue(id, out var up) && depth < 64; depth++)
            {
                path.Insert(0, up.Name.Trim());
                parent = up.ParentId;
            }

            lookup.Add(row.Name, row.Id);
            lookup.Add(LocationPath(row.Name), row.Id);
            lookup.Add(string.Join(" / ", path), row.Id);
        }

        return lookup;
    }

    /// <summary>"Berlin/Floor 1" and "Berlin / Floor 1" are one path.</summary>
    protected static string LocationPath(string typed) =>
        string.Join(" / ", typed.Split('/', StringSplitOptions.TrimEntries));

    protected const string LocationHint = "; write its path, for example 'Berlin / Floor 1'";

    protected static async Task<NameLookup> NamesAsync<T>(IQueryable<T> items, CancellationToken cancellationToken)
        where T : ReferenceItem
    {
        var lookup = new NameLookup();
        await foreach (var item in items.AsNoTracking().Select(i => new { i.Id, i.Name }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            lookup.Add(item.Name, item.Id);
        }

        return lookup;
    }
}
