using Microsoft.Net.Http.Headers;

namespace OnTrackio.Storage;

/// <summary>
/// The <c>Content-Disposition</c> of every signed download: always <c>attachment</c> (a stored file is never rendered by
/// the browser on the workspace's origin), with the name as an ASCII <c>filename</c> and an RFC 5987 <c>filename*</c>.
/// </summary>
public static class AttachmentDisposition
{
    public static string For(string? downloadName)
    {
        var header = new ContentDispositionHeaderValue("attachment");
        var name = SafeName(downloadName);
        if (name is not null)
        {
            header.SetHttpFileName(name);
        }

        return header.ToString();
    }

    /// <summary>The name without control characters, path separators or leading dots, at most 200 characters; null if nothing is left.</summary>
    public static string? SafeName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        var cleaned = new string(name.Where(c => !char.IsControl(c)).Select(c => c is '/' or '\\' or '"' ? '_' : c).ToArray())
            .Trim().TrimStart('.').Trim();
        if (cleaned.Length > 200)
        {
            cleaned = cleaned[..200];
        }

        return cleaned.Length == 0 ? null : cleaned;
    }
}
