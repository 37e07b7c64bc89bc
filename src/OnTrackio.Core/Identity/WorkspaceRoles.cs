namespace OnTrackio.Identity;

/// <summary>The roles every workspace has. Ids are fixed so that the model can seed them in every database alike.</summary>
public static class WorkspaceRoles
{
    public const string Owner = "Owner";
    public const string Admin = "Admin";
    public const string AssetManager = "AssetManager";
    public const string Approver = "Approver";
    public const string Member = "Member";
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<(Guid Id, string Name)> All =
    [
        (new Guid("0193a000-0000-7000-8000-000000000001"), Owner),
        (new Guid("0193a000-0000-7000-8000-000000000002"), Admin),
        (new Guid("0193a000-0000-7000-8000-000000000003"), AssetManager),
        (new Guid("0193a000-0000-7000-8000-000000000004"), Approver),
        (new Guid("0193a000-0000-7000-8000-000000000005"), Member),
        (new Guid("0193a000-0000-7000-8000-000000000006"), Auditor),
    ];

    public static bool Exists(string name) => All.Any(r => r.Name == name);
}
