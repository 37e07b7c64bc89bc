namespace OnTrackio.Importing;

/// <summary>A rejected row: the line it starts on, its key (tag, email, name) when it has one, and every reason at once.</summary>
public sealed record ImportRowError(int Line, string? Key, IReadOnlyList<string> Reasons);

/// <summary>What a pass over a file found: rows that would be (or were) created and updated, and the rejected ones.</summary>
internal sealed class ImportTally
{
    /// <summary>Rejected rows kept for the report; the count goes on past it. A file rejected row by row needs fixing at its source anyway.</summary>
    public const int MaxErrors = 1000;

    private readonly List<ImportRowError> _errors = [];

    public int Created { get; private set; }

    public int Updated { get; private set; }

    public int Rejected { get; private set; }

    public int Processed => Created + Updated + Rejected;

    public IReadOnlyList<ImportRowError> Errors => _errors;

    public void Create() => Created++;

    public void Update() => Updated++;

    public void Reject(int line, string? key, IReadOnlyList<string> reasons)
    {
        Rejected++;
        if (_errors.Count < MaxErrors)
        {
            _errors.Add(new ImportRowError(line, key, reasons));
        }
    }

    public void Reject(int line, string? key, string reason) => Reject(line, key, [reason]);
}

/// <summary>
/// Finds reference data by the name a person typed: exactly as stored, else ignoring case when that names a single
/// item. Names that several items share (locations in different buildings) are ambiguous, never a guess.
/// </summary>
internal sealed class NameLookup
{
    private readonly Dictionary<string, Guid> _exact = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exactShared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Guid>> _folded = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string name, Guid id)
    {
        var key = name.Trim();
        if (!_exact.TryAdd(key, id) && _exact[key] != id)
        {
            _exactShared.Add(key);
        }

        if (!_folded.TryGetValue(key, out var ids))
        {
            _folded[key] = ids = [];
        }

        ids.Add(id);
    }

    /// <summary>The id, or null with <paramref name="ambiguous"/> saying whether the name is missing or shared.</summary>
    public Guid? Find(string name, out bool ambiguous)
    {
        var key = name.Trim();
        ambiguous = false;
        if (_exact.TryGetValue(key, out var id) && !_exactShared.Contains(key))
        {
            return id;
        }

        if (_folded.TryGetValue(key, out var ids) && ids.Count == 1 && !_exactShared.Contains(key))
        {
            return ids.First();
        }

        ambiguous = _exactShared.Contains(key) || ids?.Count > 1;
        return null;
    }
}
