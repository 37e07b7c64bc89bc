using System.Text;

namespace OnTrackio.Labels;

/// <summary>What one label shows: the QR code of <see cref="Url"/>, the tag, and the name.</summary>
public sealed record AssetLabel(string Tag, string? Name, string Url);

/// <summary>
/// Lays labels out on A4 sheets of 3 × 8 (70 × 37 mm, the common 24-up label sheet): on each, the QR code on the left,
/// the tag in bold and the name (up to three lines) beside it. The QR modules are drawn as filled rectangles, so the
/// code stays sharp at any print resolution.
/// </summary>
public static class LabelSheetPdf
{
    public const int Columns = 3;
    public const int Rows = 8;
    public const int LabelsPerPage = Columns * Rows;

    private const double PointsPerMm = 72 / 25.4;
    private const double PageWidth = 210 * PointsPerMm;
    private const double PageHeight = 297 * PointsPerMm;
    private const double LabelWidth = 70 * PointsPerMm;
    private const double LabelHeight = 37 * PointsPerMm;
    private const double Padding = 7;
    private const double QrSide = LabelHeight - (2 * Padding);
    private const double TagSize = 11;
    private const double NameSize = 8;
    private const int NameLines = 3;

    public static int PagesFor(int labels) => (labels + LabelsPerPage - 1) / LabelsPerPage;

    public static byte[] Render(IReadOnlyList<AssetLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var pdf = new PdfFile(PageWidth, PageHeight, "Asset labels");
        var top = PageHeight - ((PageHeight - (Rows * LabelHeight)) / 2);
        var left = (PageWidth - (Columns * LabelWidth)) / 2;
        foreach (var page in labels.Chunk(LabelsPerPage))
        {
            var content = new StringBuilder();
            for (var i = 0; i < page.Length; i++)
            {
                var x = left + (i % Columns * LabelWidth);
                var y = top - ((i / Columns) + 1) * LabelHeight;
                Draw(content, page[i], x, y);
            }

            pdf.AddPage(content.ToString());
        }

        if (pdf.PageCount == 0)
        {
            pdf.AddPage(string.Empty);
        }

        return pdf.ToArray();
    }

    /// <summary>One label whose bottom-left corner is (<paramref name="x"/>, <paramref name="y"/>).</summary>
    private static void Draw(StringBuilder content, AssetLabel label, double x, double y)
    {
        var modules = QrCodes.Modules(label.Url);
        var module = QrSide / modules.Count;
        var qrLeft = x + Padding;
        var qrTop = y + Padding + QrSide;
        content.Append("0 g\n");
        for (var row = 0; row < modules.Count; row++)
        {
            // A run of dark modules in a row is one rectangle: a fraction of the operators one per module would take.
            var bits = modules[row];
            for (var column = 0; column < bits.Length; column++)
            {
                if (!bits[column])
                {
                    continue;
                }

                var start = column;
                while (column + 1 < bits.Length && bits[column + 1])
                {
                    column++;
                }

                content.Append(PdfFile.Number(qrLeft + (start * module))).Append(' ')
                    .Append(PdfFile.Number(qrTop - ((row + 1) * module))).Append(' ')
                    .Append(PdfFile.Number((column - start + 1) * module)).Append(' ')
                    .Append(PdfFile.Number(module)).Append(" re\n");
            }
        }

        content.Append("f\n");

        // Text is clipped to its box, so a long tag or name never runs into the next label.
        var textLeft = qrLeft + QrSide + 4;
        var textWidth = x + LabelWidth - Padding - textLeft;
        var textTop = y + LabelHeight - Padding - 4;
        content.Append("q ").Append(PdfFile.Number(textLeft)).Append(' ').Append(PdfFile.Number(y + Padding)).Append(' ')
            .Append(PdfFile.Number(textWidth)).Append(' ').Append(PdfFile.Number(LabelHeight - (2 * Padding))).Append(" re W n\n");
        content.Append("BT /F2 ").Append(PdfFile.Number(TagSize)).Append(" Tf ")
            .Append(PdfFile.Number(textLeft)).Append(' ').Append(PdfFile.Number(textTop - TagSize)).Append(" Td ")
            .Append(PdfFile.Text(label.Tag)).Append(" Tj ET\n");
        var lineTop = textTop - TagSize - 6;
        foreach (var line in Wrap(label.Name, MaxChars(textWidth, NameSize), NameLines))
        {
            lineTop -= NameSize + 2;
            content.Append("BT /F1 ").Append(PdfFile.Number(NameSize)).Append(" Tf ")
                .Append(PdfFile.Number(textLeft)).Append(' ').Append(PdfFile.Number(lineTop)).Append(" Td ")
                .Append(PdfFile.Text(line)).Append(" Tj ET\n");
        }

        content.Append("Q\n");
    }

    /// <summary>
    /// Characters per line at half an em each, Helvetica's typical width for mixed text (the standard fonts' metrics are
    /// not embedded here); a line of wide capitals can run longer, and the clip then cuts it at the label's edge.
    /// </summary>
    private static int MaxChars(double width, double size) => Math.Max(1, (int)(width / (size * 0.5)));

    /// <summary>Greedy word wrap into at most <paramref name="maxLines"/> lines, the last ending in "…" when cut.</summary>
    internal static IReadOnlyList<string> Wrap(string? text, int maxChars, int maxLines)
    {
        var lines = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return lines;
        }

        var line = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var room = maxChars - line.Length - (line.Length > 0 ? 1 : 0);
                if (rest.Length <= room)
                {
                    line.Append(line.Length > 0 ? " " : string.Empty).Append(rest);
                    rest = string.Empty;
                }
                else if (line.Length > 0 && rest.Length <= maxChars)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                else
                {
                    // A word longer than a line is split where the line ends.
                    var take = Math.Max(room, 0);
                    line.Append(line.Length > 0 && take > 0 ? " " : string.Empty).Append(rest.AsSpan(0, take));
                    rest = rest[take..];
                    lines.Add(line.ToString());
                    line.Clear();
                }
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var last = lines[maxLines - 1];
        lines = lines[..maxLines];
        lines[^1] = (last.Length >= maxChars ? last[..(maxChars - 1)] : last) + "\u2026";
        return lines;
    }
}
