using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace OnTrackio.Tests.Outputs;

/// <summary>One cell of a worksheet as a spreadsheet program would read it.</summary>
internal sealed record XlsxCell(string? Type, string? Text, string? FormatCode, bool HasFormula);

/// <summary>
/// Readers for what the outputs produce, written against the file formats rather than our writers: XLSX (zip and
/// SpreadsheetML), PNG (chunks, zlib, scanline filters), PDF (objects, Flate streams), and QR codes (ZXing decodes them).
/// </summary>
internal static partial class OutputFiles
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    public static List<List<XlsxCell>> ReadXlsx(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        var styles = XDocument.Load(zip.GetEntry("xl/styles.xml")!.Open());
        var formats = styles.Descendants(Main + "numFmt").ToDictionary(f => (string)f.Attribute("numFmtId")!, f => (string)f.Attribute("formatCode")!);
        var xfs = styles.Root!.Element(Main + "cellXfs")!.Elements(Main + "xf").Select(x => (string?)x.Attribute("numFmtId")).ToList();
        var shared = zip.GetEntry("xl/sharedStrings.xml") is { } entry
            ? XDocument.Load(entry.Open()).Descendants(Main + "si").Select(si => string.Concat(si.Descendants(Main + "t").Select(t => t.Value))).ToList()
            : [];
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var rows = new List<List<XlsxCell>>();
        foreach (var row in sheet.Descendants(Main + "row"))
        {
            var cells = new List<XlsxCell>();
            foreach (var c in row.Elements(Main + "c"))
            {
                var column = c.Attribute("r") is { } reference ? ColumnOf(reference.Value) : cells.Count;
                while (cells.Count < column)
                {
                    cells.Add(new XlsxCell(null, null, null, false));
                }

                var type = (string?)c.Attribute("t");
                var text = type switch
                {
                    "inlineStr" => string.Concat(c.Descendants(Main + "t").Select(t => t.Value)),
                    "s" => shared[int.Parse(c.Element(Main + "v")!.Value, CultureInfo.InvariantCulture)],
                    _ => c.Element(Main + "v")?.Value,
                };
                var style = (string?)c.Attribute("s") is { } s ? xfs[int.Parse(s, CultureInfo.InvariantCulture)] : null;
                var format = style is null ? null : formats.GetValueOrDefault(style) ?? "builtin:" + style;
                cells.Add(new XlsxCell(type, text, format, c.Element(Main + "f") is not null));
            }

            rows.Add(cells);
        }

        return rows;
    }

    /// <summary>Width, height and dark pixels of a 1-bit greyscale PNG (as QRCoder writes), decoded by the PNG spec.</summary>
    public static (int Width, int Height, bool[,] Dark) ReadPng(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0;
        var data = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3];
                height = (body[4] << 24) | (body[5] << 16) | (body[6] << 8) | body[7];
                Assert.Equal(1, body[8]);
                Assert.Equal(0, body[9]);
                Assert.Equal(0, body[12]);
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }

            at += 12 + length;
        }

        data.Position = 0;
        using var zlib = new ZLibStream(data, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = (width + 7) / 8;
        var previous = new byte[stride];
        var dark = new bool[width, height];
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * (stride + 1)];
            var line = bytes.AsSpan((y * (stride + 1)) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                var left = i > 0 ? line[i - 1] : 0;
                var up = previous[i];
                var upLeft = i > 0 ? previous[i - 1] : 0;
                line[i] = (byte)(line[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                dark[x, y] = ((line[x >> 3] >> (7 - (x & 7))) & 1) == 0;
            }

            previous = line;
        }

        return (width, height, dark);
    }

    /// <summary>Decodes the QR code in a picture of dark and light pixels, as a phone's camera app would.</summary>
    public static string DecodeQr(bool[,] dark)
    {
        var (width, height) = (dark.GetLength(0), dark.GetLength(1));
        var luminance = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                luminance[(y * width) + x] = dark[x, y] ? (byte)0 : (byte)255;
            }
        }

        // A picture holding only the code and its quiet zone is read as a pure barcode, module by module: ZXing's finder
        // search misses about one synthetic code in a hundred, which would make this test flaky. The search stays as
        // the fallback.
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height, RGBLuminanceSource.BitmapFormat.Gray8)));
        var result = new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true })
            ?? new QRCodeReader().decode(bitmap, new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true });
        Assert.True(result is not null, "no QR code could be decoded");
        return result.Text;
    }

    /// <summary>The page count of a PDF and its pages' content streams, inflated.</summary>
    public static (int Pages, List<string> Contents) ReadPdf(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-1.", text, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);
        var startXref = int.Parse(StartXref().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.StartsWith("xref", text[startXref..], StringComparison.Ordinal);
        var pages = int.Parse(PageTree().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var contents = new List<string>();
        foreach (Match stream in FlateStream().Matches(text))
        {
            var length = int.Parse(stream.Groups[1].Value, CultureInfo.InvariantCulture);
            using var zlib = new ZLibStream(new MemoryStream(pdf, stream.Index + stream.Length, length), CompressionMode.Decompress);
            using var reader = new StreamReader(zlib, Encoding.Latin1);
            contents.Add(reader.ReadToEnd());
        }

        return (pages, contents);
    }

    /// <summary>The first label's QR code on a page, rasterised from its rectangles (4 pixels a module, quiet zone around).</summary>
    public static bool[,] FirstQrOf(string pageContent)
    {
        var rects = new List<(double X, double Y, double W, double H)>();
        foreach (var line in pageContent.Split('\n'))
        {
            if (line == "f")
            {
                break;
            }

            var parts = line.Split(' ');
            if (parts is [var x, var y, var w, var h, "re"])
            {
                rects.Add((Parse(x), Parse(y), Parse(w), Parse(h)));
            }
        }

        var module = rects.Min(r => r.H);
        var (left, top) = (rects.Min(r => r.X), rects.Max(r => r.Y + r.H));
        var modules = (int)Math.Round((rects.Max(r => r.X + r.W) - left) / module);
        const int Scale = 4, Quiet = 4;
        var side = (modules + (2 * Quiet)) * Scale;
        var dark = new bool[side, side];
        foreach (var (x, y, w, h) in rects)
        {
            var (column, row, span) = ((int)Math.Round((x - left) / module), (int)Math.Round((top - y - h) / module), (int)Math.Round(w / module));
            for (var px = (column + Quiet) * Scale; px < (column + span + Quiet) * Scale; px++)
            {
                for (var py = (row + Quiet) * Scale; py < (row + 1 + Quiet) * Scale; py++)
                {
                    dark[px, py] = true;
                }
            }
        }

        return dark;
    }

    private static double Parse(string number) => double.Parse(number, CultureInfo.InvariantCulture);

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static int ColumnOf(string reference)
    {
        var column = 0;
        foreach (var ch in reference.TakeWhile(char.IsLetter))
        {
            column = (column * 26) + (ch - 'A' + 1);
        }

        return column - 1;
    }

    [GeneratedRegex(@"startxref\n(\d+)\n%%EOF")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)")]
    private static partial Regex PageTree();

    [GeneratedRegex(@"/Length (\d+) /Filter /FlateDecode >>\nstream\n")]
    private static partial Regex FlateStream();
}
