using System.Text.RegularExpressions;

namespace OnTrackio.Databases;

/// <summary>Workspace database names are generated from the workspace id, never from user input.</summary>
public static partial class DatabaseNames
{
    public static string ForWorkspace(Guid workspaceId) => $"ws_{workspaceId:N}";

    public static bool IsValid(string name) => ValidName().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex ValidName();
}
