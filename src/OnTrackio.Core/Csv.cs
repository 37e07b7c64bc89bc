using System.Text;

namespace OnTrackio;

/// <summary>
/// RFC 4180 CSV for exports. A cell that starts with = + - @ (or a tab or carriage return) is prefixed with a single
/// quote, because spreadsheets run such cells as formulas and exported text (an asset's name, an audit subject)
/// comes from whoever typed it.
/// </summary>
public static class Csv
{
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>Appends one record (cells made safe, CRLF-terminated) to <paramref name="line"/>, cleared first.</summary>
    public static StringBuilder Row(StringBuilder line, params ReadOnlySpan<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(line);
        line.Clear();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.Append(Cell(cells[i]));
        }

        return line.Append("\r\n");
    }
}
