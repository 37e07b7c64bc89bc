using System.Text;
using OnTrackio.CustomFields;

namespace OnTrackio.Importing;

/// <summary>
/// A column a kind of file may have: its name in the template, and other headers people write for it. Headers are
/// compared by their letters and digits only, ignoring case, so "Purchase date", "purchase_date" and "PurchaseDate"
/// are one column.
/// </summary>
public sealed record ImportColumn(string Name, params string[] Aliases)
{
    internal static string Squash(string header)
    {
        var squashed = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                squashed.Append(char.ToLowerInvariant(c));
            }
        }

        return squashed.ToString();
    }

    internal IEnumerable<string> Keys => Aliases.Prepend(Name).Select(Squash);
}

/// <summary>One data row: the line it starts on and its fields, as many as the header has.</summary>
internal sealed record ImportRow(int Line, string[] Cells);

/// <summary>
/// Which field of a row is which column. Every header must be a column of the kind (or, for assets, a custom field):
/// an unknown one refuses the file, because a misspelt "Serail" column would otherwise be dropped without a word.
/// </summary>
internal sealed class ImportHeader
{
    /// <summary>A custom field's column may be written "custom.&lt;name&gt;" when its name is also a built-in column's.</summary>
    public const string CustomPrefix = "custom.";

    private readonly Dictionary<ImportColumn, int> _columns;

    private ImportHeader(int count, Dictionary<ImportColumn, int> columns, List<(int Index, CustomField Field)> custom)
    {
        Count = count;
        _columns = columns;
        Custom = custom;
    }

    public int Count { get; }

    /// <summary>The custom fields the file has a column for, with the column's index.</summary>
    public IReadOnlyList<(int Index, CustomField Field)> Custom { get; }

    public bool Has(ImportColumn column) => _columns.ContainsKey(column);

    /// <summary>The row's field for <paramref name="column"/>, or null when the file has no such column.</summary>
    public string? Cell(ImportRow row, ImportColumn column) => _columns.TryGetValue(column, out var index) ? row.Cells[index] : null;

    public static ImportHeader Read(string[] names, ImportKind kind, IReadOnlyList<ImportColumn> columns, IReadOnlyList<CustomField> customFields)
    {
        ArgumentNullException.ThrowIfNull(names);
        var byKey = new Dictionary<string, ImportColumn>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            foreach (var key in column.Keys)
            {
                byKey.TryAdd(key, column);
            }
        }

        var fields = customFields.ToDictionary(f => f.Name.Trim(), StringComparer.OrdinalIgnoreCase);
        var found = new Dictionary<ImportColumn, int>();
        var custom = new List<(int, CustomField)>();
        var problems = new List<string>();
        var unknown = new List<string>();
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i].Trim();
            if (name.Length == 0)
            {
                problems.Add($"Column {i + 1} of the header has no name.");
                continue;
            }

            if (!name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) && byKey.TryGetValue(ImportColumn.Squash(name), out var column))
            {
                if (!found.TryAdd(column, i))
                {
                    problems.Add($"The header has the column '{column.Name}' twice (as '{names[found[column]].Trim()}' and '{name}').");
                }

                continue;
            }

            var fieldName = name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) ? name[CustomPrefix.Length..].Trim() : name;
            if (fields.TryGetValue(fieldName, out var field))
            {
                if (custom.Any(c => c.Item2.Id == field.Id))
                {
                    problems.Add($"The header has the custom field '{field.Name}' twice.");
                }
                else
                {
                    custom.Add((i, field));
                }

                continue;
            }

            unknown.Add(name);
        }

        if (unknown.Count > 0)
        {
            problems.Add(
                $"Unknown column{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}. " +
                $"The columns of {Noun(kind)} file are: {string.Join(", ", columns.Select(c => c.Name))}" +
                (kind == ImportKind.Assets
                    ? customFields.Count == 0
                        ? " (and one per custom field; this workspace has none)."
                        : $", and one per custom field: {string.Join(", ", customFields.Select(f => f.Name))}."
                    : "."));
        }

        if (problems.Count > 0)
        {
            throw new ImportFileRefusedException(string.Join(" ", problems));
        }

        return new ImportHeader(names.Length, found, custom);
    }

    private static string Noun(ImportKind kind) => kind switch
    {
        ImportKind.Assets => "an asset",
        ImportKind.People => "a people",
        _ => "a model",
    };
}
