using System.Text;
using System.Text.Unicode;
using nietras.SeparatedValues;

namespace OnTrackio.Importing;

/// <summary>How a file's bytes become text and its text becomes fields: detected, or as the person chose.</summary>
public sealed record ImportFormat(Encoding Encoding, string EncodingName, int PreambleLength, char Delimiter)
{
    /// <summary>The encodings a person can choose, by the name the API takes.</summary>
    public static IReadOnlyList<string> EncodingNames => ImportFile.EncodingNames;

    /// <summary>The delimiter as people call it, for pages and messages.</summary>
    public static string DelimiterName(string? delimiter) => delimiter switch
    {
        "," => "comma",
        ";" => "semicolon",
        "\t" => "tab",
        "|" => "pipe",
        _ => delimiter ?? string.Empty,
    };
}

/// <summary>One record of the file with the line it starts on (a quoted field may span lines), its fields not yet trimmed.</summary>
internal readonly record struct ImportRecord(int Line, string[] Cells);

/// <summary>Why a whole file cannot be read (no header, an unknown column, not the encoding it claims): nothing is imported.</summary>
public sealed class ImportFileRefusedException(string message) : Exception(message);

/// <summary>
/// Reads an uploaded CSV file. Spreadsheets write CSV in whatever encoding and separator the computer's language
/// uses, so both are detected: a byte order mark decides the encoding; without one, text that is valid UTF-8 is UTF-8
/// and anything else is taken as Windows-1252 (what Excel writes on Western European Windows). The separator is the
/// one of <c>, ; tab |</c> that occurs most in the header line. Either can be chosen instead.
/// </summary>
internal static class ImportFile
{
    /// <summary>The encodings a person can choose, by the name the API takes.</summary>
    public static readonly IReadOnlyList<string> EncodingNames = ["utf-8", "utf-16le", "utf-16be", "windows-1252"];

    /// <summary>The delimiters a person can choose: the character itself, or its name.</summary>
    public static readonly IReadOnlyDictionary<string, char> DelimiterChoices = new Dictionary<string, char>(StringComparer.OrdinalIgnoreCase)
    {
        [","] = ',',
        ["comma"] = ',',
        [";"] = ';',
        ["semicolon"] = ';',
        ["\t"] = '\t',
        ["tab"] = '\t',
        ["|"] = '|',
        ["pipe"] = '|',
    };

    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    /// <summary>Checks a person's choice of encoding and delimiter before a job is created; blank means "detect".</summary>
    public static (string? Encoding, string? Delimiter) ValidateChoices(string? encoding, string? delimiter)
    {
        var check = new Register.InputCheck();
        var chosenEncoding = string.IsNullOrWhiteSpace(encoding) ? null : encoding.Trim().ToLowerInvariant();
        if (chosenEncoding is not null && !EncodingNames.Contains(chosenEncoding))
        {
            check.Fail($"Encoding '{encoding}' is not one this import reads: {string.Join(", ", EncodingNames)} (or leave it blank to detect it).");
        }

        // A tab typed in a form field is easily trimmed away, so only other blanks mean "detect".
        var chosenDelimiter = string.IsNullOrEmpty(delimiter) || (delimiter != "\t" && string.IsNullOrWhiteSpace(delimiter)) ? null : delimiter == "\t" ? delimiter : delimiter.Trim();
        if (chosenDelimiter is not null && !DelimiterChoices.ContainsKey(chosenDelimiter))
        {
            check.Fail($"Delimiter '{delimiter}' is not one this import reads: comma, semicolon, tab or pipe (or leave it blank to detect it).");
        }

        check.ThrowIfInvalid();
        return (chosenEncoding, chosenDelimiter is null ? null : DelimiterChoices[chosenDelimiter].ToString());
    }

    public static ImportFormat Detect(byte[] content, string? encoding, string? delimiter)
    {
        ArgumentNullException.ThrowIfNull(content);
        var (chosen, name, preamble) = ChooseEncoding(content, encoding);
        var sniffed = delimiter is { Length: 1 } ? delimiter[0] : SniffDelimiter(FirstLine(content, chosen, preamble));
        return new ImportFormat(chosen, name, preamble, sniffed);
    }

    /// <summary>Every non-blank record, the header first. A record of only empty fields (",,,") is blank: spreadsheets write those.</summary>
    public static IEnumerable<ImportRecord> Records(byte[] content, ImportFormat format)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(format);
        using var text = new StreamReader(
            new MemoryStream(content, format.PreambleLength, content.Length - format.PreambleLength, writable: false),
            format.Encoding,
            detectEncodingFromByteOrderMarks: false,
            bufferSize: 64 * 1024);
        using var reader = Sep.Reader(o => o with
        {
            Sep = new Sep(format.Delimiter),
            HasHeader = false,
            DisableColCountCheck = true,
            Unescape = true,
        }).From(text);
        var line = 1;
        while (true)
        {
            ImportRecord record;
            try
            {
                if (!reader.MoveNext())
                {
                    yield break;
                }

                record = Convert(reader.Current);
            }
            catch (DecoderFallbackException)
            {
                throw new ImportFileRefusedException(
                    $"The file is not valid {format.EncodingName} after line {line}. Choose the encoding it was saved in and upload it again.");
            }

            line = record.Line;
            if (record.Cells.Any(cell => !string.IsNullOrWhiteSpace(cell)))
            {
                yield return record;
            }
        }
    }

    private static ImportRecord Convert(SepReader.Row row)
    {
        var cells = new string[row.ColCount];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = row[i].ToString();
        }

        // Sep numbers the first record's line oddly; the header is always the first line with text on it.
        return new ImportRecord(row.RowIndex == 0 ? 1 : row.LineNumberFrom, cells);
    }

    private static (Encoding Encoding, string Name, int Preamble) ChooseEncoding(byte[] content, string? chosen)
    {
        // A byte order mark is the file saying what it is, and outranks a choice (which would only garble the header).
        if (content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (StrictUtf8, "utf-8", 3);
        }

        if (content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (StrictUtf16(bigEndian: false), "utf-16le", 2);
        }

        if (content.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (StrictUtf16(bigEndian: true), "utf-16be", 2);
        }

        var name = chosen ?? Guess(content);
        return name switch
        {
            "utf-8" when !Utf8.IsValid(content) => throw new ImportFileRefusedException(
                "The file is not valid UTF-8. Choose the encoding it was saved in (often windows-1252 for files from Excel) and upload it again."),
            "utf-8" => (StrictUtf8, name, 0),
            "utf-16le" => (StrictUtf16(bigEndian: false), name, 0),
            "utf-16be" => (StrictUtf16(bigEndian: true), name, 0),
            _ => (CodePagesEncodingProvider.Instance.GetEncoding(1252)!, "windows-1252", 0),
        };
    }

    /// <summary>
    /// UTF-16 without a mark shows itself by a zero byte beside each ASCII letter of the header; otherwise valid UTF-8 is
    /// UTF-8 (ASCII included), and the rest is most likely Windows-1252, the other encoding spreadsheets save CSV in.
    /// </summary>
    private static string Guess(byte[] content)
    {
        if (content.Length >= 2 && content[0] != 0 && content[1] == 0)
        {
            return "utf-16le";
        }

        if (content.Length >= 2 && content[0] == 0 && content[1] != 0)
        {
            return "utf-16be";
        }

        return Utf8.IsValid(content) ? "utf-8" : "windows-1252";
    }

    /// <summary>The header line, decoded from at most the first 64 KiB (a header longer than that is no header).</summary>
    private static string FirstLine(byte[] content, Encoding encoding, int preamble)
    {
        var length = Math.Min(content.Length - preamble, 64 * 1024);
        var text = (encoding is UTF8Encoding or UnicodeEncoding ? Lenient(encoding) : encoding).GetString(content, preamble, length);
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && text[i] is '\r' or '\n')
            {
                return text[..i];
            }
        }

        return text;
    }

    /// <summary>The candidate that occurs most outside quotes; a comma when none does (a file of one column).</summary>
    private static char SniffDelimiter(string header)
    {
        var counts = new int[Candidates.Length];
        var inQuotes = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes && Array.IndexOf(Candidates, c) is var index and >= 0)
            {
                counts[index]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Candidates[best];
    }

    // Strict: a byte that is not valid in the encoding stops the import with a message, instead of becoming U+FFFD in the register.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static UnicodeEncoding StrictUtf16(bool bigEndian) => new(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true);

    // The header is only sniffed here: a bad byte cut at the 64 KiB boundary must not refuse the file.
    private static Encoding Lenient(Encoding encoding) => encoding is UnicodeEncoding unicode
        ? new UnicodeEncoding(unicode.CodePage == 1201, byteOrderMark: false, throwOnInvalidBytes: false)
        : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
}
