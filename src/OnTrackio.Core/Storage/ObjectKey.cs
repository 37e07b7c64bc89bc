using System.Buffers;
using OnTrackio.Tenancy;

namespace OnTrackio.Storage;

/// <summary>
/// The full key of a stored object: always <c>workspaces/&lt;workspace id&gt;/&lt;name&gt;</c>. The prefix comes from the
/// resolved workspace (or platform code naming one), never from user input; the name is chosen by the server
/// (ids, not file names), so it is restricted to a small alphabet and cannot climb out of the prefix.
/// </summary>
public readonly record struct ObjectKey
{
    public const string Root = "workspaces";
    private static readonly SearchValues<char> NameAlphabet =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-_/.");

    private ObjectKey(Guid workspaceId, string name)
    {
        WorkspaceId = workspaceId;
        Name = name;
    }

    public Guid WorkspaceId { get; }

    /// <summary>The part after the workspace prefix, e.g. <c>documents/&lt;version id&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The key as the store sees it.</summary>
    public string Value => $"{Root}/{WorkspaceId:D}/{Name}";

    public static ObjectKey For(ResolvedWorkspace workspace, string name)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return For(workspace.Id, name);
    }

    /// <summary>For platform code (jobs, backups) that names the workspace explicitly.</summary>
    public static ObjectKey For(Guid workspaceId, string name) =>
        IsValidName(name)
            ? new ObjectKey(workspaceId, name)
            : throw new ArgumentException($"'{name}' is not a valid object name: lower-case letters, digits, '-', '_', '.', and '/' between segments, no '.' or '..' segment.", nameof(name));

    /// <summary>
    /// True for a non-empty name of <see cref="NameAlphabet"/> characters whose segments are non-empty and are not
    /// <c>.</c> or <c>..</c>. Used both when building a key and when reading one back from a signed URL.
    /// </summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 512 || name.AsSpan().ContainsAnyExcept(NameAlphabet))
        {
            return false;
        }

        foreach (var range in name.AsSpan().Split('/'))
        {
            var segment = name.AsSpan()[range];
            if (segment.IsEmpty || segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => Value;
}
