namespace OnTrackio.Catalog;

public enum WorkspaceStatus
{
    /// <summary>Routed and served.</summary>
    Active,

    /// <summary>Being deleted: no longer routed; its database may still exist until the delete completes.</summary>
    Deleting,
}

/// <summary>A customer workspace: where its database is, and nothing it owns.</summary>
public sealed class Workspace
{
    public Guid Id { get; init; }

    public required string Slug { get; init; }

    public required string DisplayName { get; set; }

    public required string RegionId { get; init; }

    public Guid ServerId { get; set; }

    public required string DatabaseName { get; init; }

    public WorkspaceStatus Status { get; set; }

    /// <summary>The last workspace migration applied, as recorded by <c>ontrackio migrate</c>: the fast path only;
    /// the workspace database's own migration history stays the truth.</summary>
    public required string SchemaVersion { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public List<Domain> Domains { get; init; } = [];
}
