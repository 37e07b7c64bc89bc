namespace OnTrackio.Catalog;

/// <summary>
/// One version of a workspace's data key, wrapped by a master key that is never in any database. It lives in the
/// catalog, outside the workspace database, so deleting it makes that workspace's encrypted fields (and any copy of
/// its database, backups included) unreadable: crypto-erasure.
/// </summary>
public sealed class WorkspaceKey
{
    public Guid WorkspaceId { get; init; }

    public int Version { get; init; }

    public required string MasterKeyId { get; set; }

    public required byte[] WrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
