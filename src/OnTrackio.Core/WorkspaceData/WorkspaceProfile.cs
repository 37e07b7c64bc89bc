namespace OnTrackio.WorkspaceData;

/// <summary>
/// The single row that stamps a workspace database with the catalog id it was provisioned for, so that a database
/// can always say whose it is (and a test can prove which database answered a request).
/// </summary>
public sealed class WorkspaceProfile
{
    public const int SingletonId = 1;

    public int Id { get; init; } = SingletonId;

    public Guid WorkspaceId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
