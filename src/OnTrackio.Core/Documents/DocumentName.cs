using System.Globalization;
using System.Text;

namespace OnTrackio.Documents;

/// <summary>
/// Turns a file name a client sent into one safe to show and to offer as a download name: the last path segment only;
/// no control, format (bidi overrides, zero-width) or reserved characters; no leading dots; at most
/// <see cref="MaxLength"/> characters with the extension kept, so a long name cannot push the extension out of sight.
/// </summary>
public static class DocumentName
{
    public const int MaxLength = 200;
    private const string Reserved = "<>:\"/\\|?*";

    public static string Sanitise(string? raw)
    {
        var name = (raw ?? string.Empty).Normalize(NormalizationForm.FormC);

        // Browsers and old clients send full paths (C:\Users\…\invoice.pdf); only the last segment is the name.
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var clean = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                || (rune.IsAscii && Reserved.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                continue;
            }

            clean.Append(Rune.IsWhiteSpace(rune) ? " " : rune.ToString());
        }

        // Collapsed spaces; no leading dots (a hidden file, or what is left of "../"), no trailing dots or spaces (Windows drops them).
        name = string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var extension = ExtensionOf(name);
        var stem = name[..^extension.Length].Trim('.', ' ');
        stem = stem.Length == 0 ? "document" : stem;
        return stem.Length + extension.Length > MaxLength
            ? TrimToLength(stem, MaxLength - extension.Length).TrimEnd('.', ' ') + extension
            : stem + extension;
    }

    /// <summary>The extension with its dot, lower case, or empty; only a short alphanumeric one counts.</summary>
    public static string ExtensionOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.LastIndexOf('.');
        if (dot < 0 || name.Length - dot > 9)
        {
            return string.Empty;
        }

        var extension = name[dot..];
        return extension.Length > 1 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension.ToLowerInvariant() : string.Empty;
    }

    /// <summary>The name with its extension replaced (or added), for a file whose bytes name its type.</summary>
    public static string WithExtension(string name, string extension)
    {
        ArgumentNullException.ThrowIfNull(name);
        var current = ExtensionOf(name);
        var stem = current.Length > 0 ? name[..^current.Length] : name;
        return TrimToLength(stem, MaxLength - extension.Length) + extension;
    }

    // Cut on a text element boundary, so that a combining sequence or a surrogate pair is never split.
    private static string TrimToLength(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        var info = new StringInfo(text);
        var result = new StringBuilder(length);
        for (var i = 0; i < info.LengthInTextElements; i++)
        {
            var element = info.SubstringByTextElements(i, 1);
            if (result.Length + element.Length > length)
            {
                break;
            }

            result.Append(element);
        }

        return result.ToString();
    }
}
