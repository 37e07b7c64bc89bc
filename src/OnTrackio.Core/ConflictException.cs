namespace OnTrackio;

/// <summary>The request is valid but collides with what exists (a tag or name taken): the API answers 409.</summary>
public sealed class ConflictException(string message) : Exception(message);
