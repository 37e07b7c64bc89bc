namespace OnTrackio.Storage;

/// <summary>What a store knows of an object: its size in bytes (plaintext) and when it was written.</summary>
public sealed record StoredObject(ObjectKey Key, long Length, DateTimeOffset WrittenAt);

/// <summary>The two things a signed URL may do.</summary>
public enum SignedMethod
{
    Get,
    Put,
}

/// <summary>
/// A request for a time-limited URL. <paramref name="WorkspaceBaseUri"/> is the verified scheme and host of the request
/// that asks, so a URL the web host serves is bound to that workspace's host. <paramref name="DownloadName"/> and
/// <paramref name="ContentType"/> shape a GET's response headers (always as an attachment).
/// </summary>
public sealed record SignedUrlRequest(
    ObjectKey Key,
    SignedMethod Method,
    DateTimeOffset ExpiresAt,
    Uri WorkspaceBaseUri,
    string? DownloadName = null,
    string? ContentType = null)
{
    public string WorkspaceHost => WorkspaceBaseUri.Authority;
}

/// <summary>
/// The object store seam: where document bytes live. One implementation per kind of storage (a filesystem store for
/// the embedded default, S3 in production), chosen per region by configuration; every key carries its workspace
/// prefix. Implementations stream: no method holds a whole object in memory.
/// </summary>
public interface IObjectStore
{
    /// <summary>Writes (or replaces) an object from a stream read to its end, and returns what was stored.</summary>
    Task<StoredObject> PutAsync(ObjectKey key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; throws <see cref="NotFoundException"/> when it does not exist.</summary>
    Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>The object's size and time, or null when it does not exist.</summary>
    Task<StoredObject?> FindAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Removes an object; removing one that does not exist is not an error.</summary>
    Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>A URL that performs <see cref="SignedUrlRequest.Method"/> on the key until it expires.</summary>
    Task<Uri> SignUrlAsync(SignedUrlRequest request, CancellationToken cancellationToken);
}
