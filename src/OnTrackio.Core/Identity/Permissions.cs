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

    /// <summary>See assets and the reference data they use (models, locations, status labels…).</summary>
    public const string AssetsRead = "assets.read";

    /// <summary>Create, edit, check out and in, delete and restore assets.</summary>
    public const string AssetsManage = "assets.manage";

    public const string PeopleRead = "people.read";

    public const string PeopleManage = "people.manage";

    /// <summary>Change categories, manufacturers, models, suppliers, locations, departments and status labels.</summary>
    public const string ReferenceManage = "reference.manage";

    // Members get nothing of the register yet: they will see their own items through requests (a later slice), not
    // the whole inventory. Approvers read it, to judge what they approve.
    private static readonly string[] RegisterReaders =
        [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.AssetManager, WorkspaceRoles.Approver, WorkspaceRoles.Auditor];

    private static readonly string[] RegisterKeepers = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.AssetManager];

    private static readonly Dictionary<string, string[]> Holders = new(StringComparer.Ordinal)
    {
        [UsersRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [UsersInvite] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [UsersManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [SettingsRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [SettingsManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [AuditRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [AssetsRead] = RegisterReaders,
        [AssetsManage] = RegisterKeepers,
        [PeopleRead] = RegisterReaders,
        [PeopleManage] = RegisterKeepers,
        [ReferenceManage] = RegisterKeepers,
    };

    public static IEnumerable<string> All => Holders.Keys;

    public static bool IsGranted(string permission, IEnumerable<string> roles) =>
        Holders.TryGetValue(permission, out var holders) && roles.Any(holders.Contains);
}
