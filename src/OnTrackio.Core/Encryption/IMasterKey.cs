namespace OnTrackio.Encryption;

/// <summary>A workspace data key as the catalog keeps it: encrypted under a master key named by id.</summary>
public sealed record WrappedDataKey(string MasterKeyId, byte[] Ciphertext);

/// <summary>
/// The master key seam: wraps and unwraps workspace data keys. The local implementation holds keys from configuration
/// or a key file; a cloud KMS implementation would call the KMS and never see the master key at all.
/// </summary>
public interface IMasterKey
{
    string ActiveKeyId { get; }

    /// <summary>Wraps with the active master key. <paramref name="context"/> is bound into the wrapping and needed to unwrap.</summary>
    ValueTask<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, string context, CancellationToken cancellationToken);

    ValueTask<byte[]> UnwrapAsync(WrappedDataKey wrapped, string context, CancellationToken cancellationToken);

    /// <summary>
    /// A 256-bit key for <paramref name="purpose"/>, derived from the active master key: the same purpose gives the same
    /// key on every host sharing that master key, and a different one after the active master key changes. For
    /// short-lived secrets only (signed URLs), since anything derived before a change of active key stops matching.
    /// </summary>
    ValueTask<byte[]> DeriveKeyAsync(string purpose, CancellationToken cancellationToken);
}
