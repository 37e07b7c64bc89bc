using OnTrackio.Identity;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>The columns of each kind of file, the empty file a person fills in, and who may import each kind.</summary>
public sealed class ImportTemplates(WorkspaceDbContext db)
{
    /// <summary>
    /// The policy of the import pages and endpoints: anyone who may import some kind. Each request then needs the
    /// permission of its own kind (<see cref="PermissionFor"/>): an AssetManager's role may someday hold people.manage
    /// without assets.manage.
    /// </summary>
    public const string Policy = "imports";

    public static IReadOnlyList<ImportColumn> Columns(ImportKind kind) => kind switch
    {
        ImportKind.Assets => AssetRows.Columns,
        ImportKind.People => PersonRows.Columns,
        _ => ModelRows.Columns,
    };

    /// <summary>Assets are the register's; people the directory's; models are reference data.</summary>
    public static string PermissionFor(ImportKind kind) => kind switch
    {
        ImportKind.Assets => Permissions.AssetsManage,
        ImportKind.People => Permissions.PeopleManage,
        _ => Permissions.ReferenceManage,
    };

    public static bool TryParseKind(string? text, out ImportKind kind) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    /// <summary>The header row of a <paramref name="kind"/> file; for assets, one column per custom field of the workspace too.</summary>
    public async Task<string> HeaderAsync(ImportKind kind, CancellationToken cancellationToken)
    {
        var names = Columns(kind).Select(c => c.Name).ToList();
        if (kind == ImportKind.Assets)
        {
            names.AddRange((await AssetRows.CustomFieldsAsync(db, cancellationToken)).Select(f => f.Name));
        }

        return Csv.Row(new System.Text.StringBuilder(), [.. names]).ToString();
    }
}
