namespace OnTrackio;

/// <summary>
/// The change was based on a version someone else has since replaced: the API answers 412 and nothing is written, so
/// the caller reloads and decides, rather than overwriting the other change without seeing it.
/// </summary>
public sealed class StaleVersionException(string message) : Exception(message);
