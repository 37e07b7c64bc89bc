namespace OnTrackio.Catalog;

/// <summary>
/// A database server that hosts workspace databases. The catalog keeps where it is and which role
/// connects, never the password: credentials come from configuration, keyed by <see cref="Name"/>.
/// </summary>
public sealed class DatabaseServer
{
    /// <summary>The name of the single server that the embedded (SQLite) engine registers for itself.</summary>
    public const string EmbeddedName = "embedded";

    public Guid Id { get; init; }

    public required string Name { get; init; }

    public required string RegionId { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; }

    public required string Username { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
