namespace OnTrackio.Documents;

/// <summary>
/// An upload the rules refuse (its size, the quota, its content): nothing of it is kept. The API answers 413 when the
/// file is too large and 422 otherwise; pages show the message beside the file input.
/// </summary>
public sealed class UploadRefusedException(string message, bool tooLarge = false) : Exception(message)
{
    public bool TooLarge => tooLarge;
}
