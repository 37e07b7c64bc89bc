using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace OnTrackio.Labels;

/// <summary>
/// A minimal PDF 1.4 writer: pages of vector drawing and text in the standard Helvetica fonts (F1 regular, F2 bold).
/// </summary>
/// <remarks>
/// Written here rather than taken from a library because the PDF libraries on offer need font files to draw any text,
/// and a server (or a container) has none; the 14 standard fonts are built into every PDF reader and need no embedding.
/// Text is limited to the WinAnsi character set those fonts use: other characters print as "?".
/// </remarks>
internal sealed class PdfFile(double pageWidth, double pageHeight, string title)
{
    private static readonly Encoding WinAnsi = CodePagesEncodingProvider.Instance.GetEncoding(
        1252, new EncoderReplacementFallback("?"), DecoderFallback.ReplacementFallback)!;

    private readonly List<byte[]> _pages = [];

    public int PageCount => _pages.Count;

    /// <summary>Adds a page whose content stream is <paramref name="content"/> (operators, with strings from <see cref="Text"/>).</summary>
    public void AddPage(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            // Latin-1 maps each char of the content back to the one byte it stands for (see Text).
            zlib.Write(Encoding.Latin1.GetBytes(content));
        }

        _pages.Add(compressed.ToArray());
    }

    /// <summary>A PDF literal string for the standard fonts: WinAnsi bytes (as Latin-1 chars), with ( ) \ escaped.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = WinAnsi.GetBytes(value);
        var literal = new StringBuilder(bytes.Length + 2).Append('(');
        foreach (var b in bytes)
        {
            _ = b switch
            {
                (byte)'(' or (byte)')' or (byte)'\\' => literal.Append('\\').Append((char)b),
                < 0x20 => literal.Append(' '),
                _ => literal.Append((char)b),
            };
        }

        return literal.Append(')').ToString();
    }

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public byte[] ToArray()
    {
        // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 info, then a page and its content stream per page.
        const int FirstPage = 6;
        using var output = new MemoryStream();
        var offsets = new List<long>();
        Write(output, "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");

        void Object(int number, string body, byte[]? stream = null)
        {
            while (offsets.Count < number)
            {
                offsets.Add(0);
            }

            offsets[number - 1] = output.Position;
            Write(output, $"{number} 0 obj\n{body}\n");
            if (stream is not null)
            {
                Write(output, "stream\n");
                output.Write(stream);
                Write(output, "\nendstream\n");
            }

            Write(output, "endobj\n");
        }

        var kids = string.Join(' ', Enumerable.Range(0, _pages.Count).Select(i => $"{FirstPage + (2 * i)} 0 R"));
        Object(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Object(2, $"<< /Type /Pages /Kids [{kids}] /Count {_pages.Count} >>");
        Object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        Object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        Object(5, $"<< /Title {Text(title)} /Producer (OnTrackio) >>");
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = FirstPage + (2 * i);
            Object(page, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Number(pageWidth)} {Number(pageHeight)}] " +
                $"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {page + 1} 0 R >>");
            Object(page + 1, $"<< /Length {_pages[i].Length} /Filter /FlateDecode >>", _pages[i]);
        }

        var xref = output.Position;
        var table = new StringBuilder().Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Write(output, table.ToString());
        return output.ToArray();
    }

    private static void Write(MemoryStream output, string text) => output.Write(Encoding.Latin1.GetBytes(text));
}
