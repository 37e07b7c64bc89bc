using System.Text;

namespace OnTrackio.Documents;

/// <summary>One type of file the workspace accepts: what its bytes look like, its content type and its extensions.</summary>
public sealed record DocumentType(DocumentFamily Family, string ContentType, string Label, IReadOnlyList<string> Extensions)
{
    public string DefaultExtension => Extensions[0];

    /// <summary>Text must stay valid UTF-8 without NUL bytes to its last byte, which only the whole stream can tell.</summary>
    public bool IsText => Family == DocumentFamily.Text;

    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}

/// <summary>What the first bytes of a file reveal; several types share a family (a .docx and a .zip are both ZIP).</summary>
public enum DocumentFamily
{
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Zip,
    Ole,
    Exe,
    Text,
}

/// <summary>
/// The allow-list of types, and the check that a file's bytes are one of them and agree with its extension. The type a
/// document is stored and served with is the one detected here, never the one a client claims. SVG and HTML are refused
/// outright: a browser runs the scripts they can carry.
/// </summary>
public static class DocumentTypes
{
    /// <summary>How many leading bytes detection reads.</summary>
    public const int HeadLength = 4096;

    public static readonly IReadOnlyList<DocumentType> All =
    [
        new(DocumentFamily.Pdf, "application/pdf", "PDF", [".pdf"]),
        new(DocumentFamily.Png, "image/png", "PNG image", [".png"]),
        new(DocumentFamily.Jpeg, "image/jpeg", "JPEG image", [".jpg", ".jpeg"]),
        new(DocumentFamily.Gif, "image/gif", "GIF image", [".gif"]),
        new(DocumentFamily.Webp, "image/webp", "WebP image", [".webp"]),
        new(DocumentFamily.Zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", [".docx"]),
        new(DocumentFamily.Zip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook", [".xlsx"]),
        new(DocumentFamily.Zip, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint presentation", [".pptx"]),
        new(DocumentFamily.Zip, "application/zip", "ZIP archive", [".zip"]),
        new(DocumentFamily.Ole, "application/msword", "Word 97-2003 document", [".doc"]),
        new(DocumentFamily.Ole, "application/vnd.ms-excel", "Excel 97-2003 workbook", [".xls"]),
        new(DocumentFamily.Ole, "application/vnd.ms-powerpoint", "PowerPoint 97-2003 presentation", [".ppt"]),
        new(DocumentFamily.Ole, "application/x-msi", "Windows installer", [".msi"]),
        new(DocumentFamily.Exe, "application/vnd.microsoft.portable-executable", "Windows program", [".exe"]),
        new(DocumentFamily.Text, "text/plain", "text file", [".txt", ".log", ".md"]),
        new(DocumentFamily.Text, "text/csv", "CSV file", [".csv"]),
    ];

    /// <summary>A logo is shown by browsers and mail clients, so only raster images they all draw.</summary>
    public static readonly IReadOnlyList<DocumentType> LogoTypes = [.. All.Where(t => t.Family is DocumentFamily.Png or DocumentFamily.Jpeg or DocumentFamily.Webp)];

    private static readonly string[] ScriptCarrying = [".svg", ".svgz", ".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml", ".xml", ".js", ".hta"];

    public static string AcceptedSummary(IReadOnlyList<DocumentType> allowed) =>
        string.Join(", ", allowed.SelectMany(t => t.Extensions));

    /// <summary>
    /// The type of a file from its first bytes and its name, or a refusal that says why. <paramref name="head"/> is the
    /// first <see cref="HeadLength"/> bytes (fewer for a shorter file).
    /// </summary>
    public static DocumentType Detect(ReadOnlySpan<byte> head, string name, IReadOnlyList<DocumentType>? allowed = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        allowed ??= All;
        var extension = DocumentName.ExtensionOf(name);
        if (head.IsEmpty)
        {
            throw new UploadRefusedException($"{name} is empty.");
        }

        if (ScriptCarrying.Contains(extension) || (FamilyOf(head) == DocumentFamily.Text && LooksLikeMarkup(head)))
        {
            throw new UploadRefusedException($"{name} is refused: SVG and HTML files can carry scripts, so they are not accepted. Convert it to PDF or PNG.");
        }

        var family = FamilyOf(head)
            ?? throw new UploadRefusedException($"The content of {name} is not a type this workspace accepts ({AcceptedSummary(allowed)}).");
        var candidates = allowed.Where(t => t.Family == family).ToList();
        if (candidates.Count == 0)
        {
            throw new UploadRefusedException($"{name} is a {LabelOf(family)}; only {AcceptedSummary(allowed)} are accepted here.");
        }

        if (extension.Length == 0)
        {
            return candidates[0];
        }

        var match = candidates.FirstOrDefault(t => t.Extensions.Contains(extension));
        if (match is not null)
        {
            return match;
        }

        return All.Any(t => t.Extensions.Contains(extension))
            ? throw new UploadRefusedException($"{name} is named {extension} but its content is a {LabelOf(family)}; it is refused, since its name would mislead whoever opens it.")
            : throw new UploadRefusedException($"Files ending {extension} are not accepted ({AcceptedSummary(allowed)} are).");
    }

    private static string LabelOf(DocumentFamily family) => family switch
    {
        DocumentFamily.Zip => "ZIP archive or Office document",
        DocumentFamily.Ole => "legacy Office document or Windows installer",
        _ => All.First(t => t.Family == family).Label,
    };

    private static DocumentFamily? FamilyOf(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8))
        {
            return DocumentFamily.Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return DocumentFamily.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return DocumentFamily.Jpeg;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return DocumentFamily.Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return DocumentFamily.Webp;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]))
        {
            return DocumentFamily.Zip;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return DocumentFamily.Ole;
        }

        if (head.StartsWith("MZ"u8))
        {
            return DocumentFamily.Exe;
        }

        return IsTextSoFar(head) ? DocumentFamily.Text : null;
    }

    /// <summary>UTF-8 without NUL bytes, allowing a multi-byte character cut off at the end of the head.</summary>
    private static bool IsTextSoFar(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
        {
            return false;
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            decoder.GetCharCount(head, flush: false);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool LooksLikeMarkup(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return text.StartsWith('<')
            && (text.Contains("<svg", StringComparison.OrdinalIgnoreCase) || text.Contains("<html", StringComparison.OrdinalIgnoreCase)
                || text.Contains("<!doctype html", StringComparison.OrdinalIgnoreCase) || text.Contains("<script", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase));
    }
}
