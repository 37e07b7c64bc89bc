namespace OnTrackio.Storage;

/// <summary>
/// A stored object failed authentication while being read: altered, truncated, reordered, or written for another key
/// or workspace. Readers get this instead of wrong bytes. An <see cref="IOException"/>, since it surfaces from stream reads.
/// </summary>
public sealed class CorruptObjectException(string message, Exception? inner = null) : IOException(message, inner);
