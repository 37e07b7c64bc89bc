namespace OnTrackio;

/// <summary>
/// An operation refused for a reason its caller can fix (bad input, a name taken, a missing server). The message is
/// written for a person: the CLI prints it and exits non-zero, the API returns it as problem details.
/// </summary>
public sealed class OperationRefusedException(string message) : Exception(message);
