using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>One measured figure against its target. <paramref name="Caveat"/> says why a figure cannot be trusted as met.</summary>
internal sealed record Figure(string Name, string Measured, string Target, bool Met, string? Caveat = null)
{
    public string Verdict => Met && Caveat is null ? "yes" : Caveat is null ? "NO" : $"NO ({Caveat})";
}

/// <summary>The figures as a table, then the context needed to read them. Printing only: nothing here fails a run.</summary>
internal sealed class Report(string engine = "PostgreSQL")
{
    private readonly List<Figure> _figures = [];
    private readonly List<(string Label, string Value)> _context = [];

    public void Add(Figure figure) => _figures.Add(figure);

    public void Context(string label, string value) => _context.Add((label, value));

    public void WriteTo(TextWriter writer)
    {
        string[] header = ["Figure", "Measured", "Target", "Met"];
        var rows = _figures.Select(f => new[] { f.Name, f.Measured, f.Target, f.Verdict }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(column => rows.Max(row => row[column].Length)).ToArray();

        writer.WriteLine();
        writer.WriteLine($"OnTrackio benchmark ({engine})");
        writer.WriteLine();
        WriteRow(writer, header, widths);
        WriteRow(writer, [.. widths.Select(width => new string('-', width))], widths);
        foreach (var row in rows.Skip(1))
        {
            WriteRow(writer, row, widths);
        }

        writer.WriteLine();
        var labelWidth = _context.Count == 0 ? 0 : _context.Max(line => line.Label.Length);
        foreach (var (label, value) in _context)
        {
            writer.WriteLine($"{(label + ":").PadRight(labelWidth + 1)} {value}");
        }

        var missed = _figures.Count(f => f.Verdict != "yes");
        writer.WriteLine();
        writer.WriteLine(missed == 0 ? "All targets met." : $"{missed} of {_figures.Count} targets not met.");
    }

    public static string Milliseconds(TimeSpan value) => Invariant($"{value.TotalMilliseconds:0} ms");

    public static string Seconds(TimeSpan value) => Invariant($"{value.TotalSeconds:0.00} s");

    /// <summary>Decimal megabytes, as the target is stated.</summary>
    public static string Megabytes(long bytes) => Invariant($"{bytes / 1_000_000.0:0.0} MB");

    private static void WriteRow(TextWriter writer, string[] cells, int[] widths) =>
        writer.WriteLine("| " + string.Join(" | ", cells.Select((cell, column) => cell.PadRight(widths[column]))) + " |");
}
