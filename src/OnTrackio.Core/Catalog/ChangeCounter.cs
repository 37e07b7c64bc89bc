namespace OnTrackio.Catalog;

/// <summary>
/// Platform bookkeeping: a counter bumped whenever routing changes (a domain added, verified or removed, a workspace
/// created, deleted or migrated), so every web host can drop its hostname cache without a message bus.
/// </summary>
public sealed class ChangeCounter
{
    public const string Routing = "routing";

    public required string Name { get; init; }

    public long Value { get; set; }
}
