using OnTrackio.Identity;

namespace OnTrackio.ApiTokens;

/// <summary>One scope a token can be given: read or write of one area, and the permissions it stands for.</summary>
public sealed record ApiTokenScope(string Name, string Description, IReadOnlyList<string> Permissions);

/// <summary>
/// The scopes a token may carry. Each maps onto the permissions roles already hold, so a token's rights are computed
/// with the same names the endpoints ask for: its scopes' permissions, intersected with what its owner's role holds
/// now. Writing an area includes reading it. Users, roles and security settings have no scope: a leaked token must
/// not be able to widen anyone's access or weaken sign-in.
/// </summary>
public static class ApiTokenScopes
{
    public static readonly IReadOnlyList<ApiTokenScope> All =
    [
        new("assets:read", "Read assets, their history, and the reference data and custom fields they use", [Permissions.AssetsRead]),
        new("assets:write", "Create, change, check out and in, delete and restore assets", [Permissions.AssetsRead, Permissions.AssetsManage]),
        new("people:read", "Read people and what they hold", [Permissions.PeopleRead]),
        new("people:write", "Add and change people", [Permissions.PeopleRead, Permissions.PeopleManage]),
        new("reference:write", "Change categories, manufacturers, models, suppliers, locations, departments, status labels and custom fields", [Permissions.AssetsRead, Permissions.ReferenceManage]),
        new("imports:write", "Run CSV imports (with the write scope of what is imported: assets, people, or reference for models)", [Permissions.ImportsRun]),
        new("audit:read", "Read the audit log", [Permissions.AuditRead]),
        new("documents:read", "Read documents attached to the register and mint their download URLs", [Permissions.DocumentsRead]),
        new("documents:write", "Attach, replace and delete documents", [Permissions.DocumentsRead, Permissions.DocumentsManage]),
        new("documents:admin", "See deleted documents, restore documents and earlier versions, and purge documents", [Permissions.DocumentsRead, Permissions.DocumentsAdminister]),
        new("webhooks:write", "Add, change and remove webhook endpoints, rotate their secrets, and read and redeliver their deliveries", [Permissions.WebhooksManage]),
    ];

    private static readonly Dictionary<string, ApiTokenScope> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>A service token answers to no person's role; it is held to what an Admin may do, since only admins create one.</summary>
    private static readonly string[] ServiceRoles = [WorkspaceRoles.Admin];

    public static bool TryGet(string name, out ApiTokenScope scope) => ByName.TryGetValue(name, out scope!);

    /// <summary>The stored scopes of a token, as names; names this build no longer knows are dropped, never guessed at.</summary>
    public static IReadOnlyList<string> Parse(string stored) =>
        [.. (stored ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(ByName.ContainsKey)];

    public static string Format(IEnumerable<string> names) => string.Join(' ', names);

    /// <summary>Whether someone with <paramref name="roles"/> may give a token this scope: their role must hold all it stands for.</summary>
    public static bool IsWithin(ApiTokenScope scope, IReadOnlyCollection<string> roles)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Permissions.All(p => Permissions.IsGranted(p, roles));
    }

    /// <summary>
    /// The permissions a token has on this request: its scopes' permissions that its owner's current roles also hold
    /// (for a service token, that an Admin holds).
    /// </summary>
    public static IReadOnlyList<string> Effective(string storedScopes, IReadOnlyCollection<string>? ownerRoles)
    {
        var roles = ownerRoles ?? ServiceRoles;
        return [.. Parse(storedScopes).SelectMany(name => ByName[name].Permissions).Distinct(StringComparer.Ordinal).Where(p => Permissions.IsGranted(p, roles))];
    }

    /// <summary>The roles whose rights bound a service token's scopes.</summary>
    public static IReadOnlyCollection<string> ServiceTokenRoles => ServiceRoles;
}
