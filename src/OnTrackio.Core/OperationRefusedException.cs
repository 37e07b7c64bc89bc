namespace OnTrackio;

/// <summary>
/// An operation refused for a reason its caller can fix (bad input, a name taken, a missing server). The message is
/// written for a person: the CLI prints it and exits non-zero, the API returns it as problem details.
/// </summary>
public sealed class OperationRefusedException(string message) : Exception(message)
{
    /// <summary>The reasons that concern one field, by the field's label (when the check knew it), for forms to show inline.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FieldErrors { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}
