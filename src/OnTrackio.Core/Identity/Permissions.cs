using System.Security.Claims;
using OnTrackio.ApiTokens;

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

    /// <summary>Run CSV imports; each import also needs the manage permission of what it imports.</summary>
    /// <remarks>Held by every role that manages some kind of item, so for sessions it changes nothing: it exists so an
    /// API token can be given imports (the imports:write scope) or not.</remarks>
    public const string ImportsRun = "imports.run";

    /// <summary>See every API token of the workspace, service tokens included (everyone sees their own).</summary>
    public const string TokensRead = "tokens.read";

    /// <summary>Create service tokens, revoke anyone's token, set the longest lifetime a token may have.</summary>
    public const string TokensManage = "tokens.manage";

    /// <summary>
    /// See and change webhook endpoints, their secrets and their delivery log. Admins only: an endpoint receives every
    /// change of the register, so choosing one is choosing where the workspace's data goes.
    /// </summary>
    public const string WebhooksManage = "webhooks.manage";

    /// <summary>See documents attached to the register and download them: whoever reads the register reads its papers.</summary>
    public const string DocumentsRead = "documents.read";

    /// <summary>Attach, replace and delete documents: whoever keeps the register keeps its papers.</summary>
    public const string DocumentsManage = "documents.manage";

    /// <summary>
    /// See deleted documents, restore them and their earlier versions, and purge them. Admins only: purging cannot be
    /// undone, and restoring brings back what someone chose to remove.
    /// </summary>
    public const string DocumentsAdminister = "documents.administer";

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
        [ImportsRun] = RegisterKeepers,
        [TokensRead] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor],
        [TokensManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [WebhooksManage] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
        [DocumentsRead] = RegisterReaders,
        [DocumentsManage] = RegisterKeepers,
        [DocumentsAdminister] = [WorkspaceRoles.Owner, WorkspaceRoles.Admin],
    };

    public static IEnumerable<string> All => Holders.Keys;

    public static bool IsGranted(string permission, IEnumerable<string> roles) =>
        Holders.TryGetValue(permission, out var holders) && roles.Any(holders.Contains);

    /// <summary>
    /// Whether a request's principal holds a permission: a session through its roles; an API token through the
    /// permissions its authentication computed (its scopes within its owner's current role). A token principal has no
    /// role claims, and a session's permission claims would be ignored, so neither can pass for the other.
    /// </summary>
    public static bool IsGranted(string permission, ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return ApiTokenPrincipal.Is(principal)
            ? principal.HasClaim(ApiTokenPrincipal.PermissionClaim, permission)
            : IsGranted(permission, principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }
}
