namespace OnTrackio.Encryption;

/// <summary>A protected value that cannot be opened: another workspace's, another row's or column's, tampered, or its key is gone.</summary>
public sealed class FieldDecryptionException(string message) : Exception(message);
