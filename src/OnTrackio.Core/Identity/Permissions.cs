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

    /// <summary>Read the security policy and SSO settings (never the client secret).</summary>
    public const string SettingsRead = "settings.read";

    /// <summary>Change the security policy and SSO settings.</summary>
    public const string SettingsManage = "settings.manage";

    public const string AuditRead = "audit.read";

    private static readonly Dictionary<string, string[]> Holders = new(StringComparer.Ordinal)
    {
        [UsersRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [UsersInvite] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [UsersManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [SettingsRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [SettingsManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [AuditRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
    };

    public static IEnumerable<string> All => Holders.Keys;

    public static bool IsGranted(string permission, IEnumerable<string> roles) =>
        Holders.TryGetValue(permission, out var holders) && roles.Any(holders.Contains);
}
