using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Documents;

/// <summary>
/// Upload limits, from <c>OnTrackio:Documents</c>. A file may never be larger than the store takes
/// (<c>OnTrackio:Storage:MaxObjectBytes</c>); start-up refuses such a setting.
/// </summary>
public sealed class DocumentOptions
{
    public const string Section = "OnTrackio:Documents";

    /// <summary>The largest file a user may upload (default 50 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// What every stored version of the workspace's documents may add up to, deleted ones included until they are
    /// purged (default 5 GiB). A restored version names an object already stored, so it costs nothing.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long WorkspaceQuotaBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>The largest logo (default 1 MiB): it is sent inline with every email.</summary>
    [Range(1, 16L * 1024 * 1024)]
    public long MaxLogoBytes { get; set; } = 1024 * 1024;

    /// <summary>How long after its URL expired a pending API upload may still be completed before it is cleaned up.</summary>
    public TimeSpan PendingUploadGrace { get; set; } = TimeSpan.FromHours(1);
}
