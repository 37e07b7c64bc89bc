namespace OnTrackio;

/// <summary>
/// The workspace has no such thing. Thrown for ids of another workspace too, which this workspace's database simply
/// does not hold: the API answers 404 either way, so an id reveals nothing about other customers.
/// </summary>
public sealed class NotFoundException(string message) : Exception(message);
