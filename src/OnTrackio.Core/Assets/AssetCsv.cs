using System.Globalization;
using System.Text;

namespace OnTrackio.Assets;

/// <summary>
/// Writes a filtered asset list as formula-safe CSV, one row at a time as the database returns them, so an export of
/// the whole register never sits in memory. The columns are <see cref="AssetColumns"/>, shared with <see cref="AssetXlsx"/>.
/// </summary>
public static class AssetCsv
{
    public static string Header { get; } = HeaderOf(AssetColumns.Standard);

    /// <summary>
    /// Writes the standard columns, then a column per custom field in use, headed <c>custom.&lt;field name&gt;</c>
    /// (<see cref="AssetColumns.For"/>).
    /// </summary>
    public static async Task<int> WriteAsync(TextWriter writer, AssetExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(export);
        var columns = AssetColumns.For(export.CustomColumns);
        await writer.WriteAsync(HeaderOf(columns) + "\r\n");
        var line = new StringBuilder();
        var cells = new string?[columns.Count];
        var count = 0;
        await foreach (var a in export.Rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = Text(columns[i].ValueOf(a));
            }

            await writer.WriteAsync(Csv.Row(line, cells), cancellationToken);
            count++;
        }

        return count;
    }

    private static string HeaderOf(IReadOnlyList<AssetColumn> columns) => string.Join(',', columns.Select(c => Csv.Cell(c.Name)));

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
