namespace OnTrackio.Identity;

/// <summary>
/// Named permissions, and which roles hold them. Endpoints and pages ask for a permission, never for a role, so a
/// role's reach is read in one place. Auditors read everything and change nothing.
/// </summary>
public static class Permissions
{
    public const string UsersRead = "users.read";
    public const string UsersInvite = "users.invite";
    public const string UsersManage = "users.manage";

    private static readonly Dictionary<string, string[]> Holders = new(StringComparer.Ordinal)
    {
        [UsersRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [UsersInvite] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [UsersManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
    };

    public static IEnumerable<string> All => Holders.Keys;

    public static bool IsGranted(string permission, IEnumerable<string> roles) =>
        Holders.TryGetValue(permission, out var holders) && roles.Any(holders.Contains);
}
