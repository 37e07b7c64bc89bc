namespace OnTrackio.Storage;

/// <summary>
/// Headers a client sends with every signed PUT, whichever store minted the URL. The S3 store signs the request for
/// server-side encryption into its presigned PUT URLs, so S3 refuses the upload without this header; the web host
/// ignores it.
/// </summary>
public static class SignedUrlHeaders
{
    public const string ServerSideEncryption = "x-amz-server-side-encryption";
    public const string ServerSideEncryptionValue = "AES256";

    public static IReadOnlyDictionary<string, string> Put { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [ServerSideEncryption] = ServerSideEncryptionValue,
    };
}
