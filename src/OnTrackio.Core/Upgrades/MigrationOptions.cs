using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Upgrades;

public sealed class MigrationOptions
{
    public const string Section = "OnTrackio:Migrations";

    /// <summary>Workspaces migrated at once, in all.</summary>
    [Range(1, 256)]
    public int MaxParallelism { get; set; } = 8;

    /// <summary>Workspaces migrated at once on one database server.</summary>
    [Range(1, 64)]
    public int MaxParallelismPerServer { get; set; } = 4;
}
