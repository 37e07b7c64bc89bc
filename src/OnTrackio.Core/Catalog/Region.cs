namespace OnTrackio.Catalog;

/// <summary>A residency region. Every placement decision (database server, object store, backups) is taken from it.</summary>
public sealed class Region
{
    public required string Id { get; init; }

    public required string DisplayName { get; set; }
}
