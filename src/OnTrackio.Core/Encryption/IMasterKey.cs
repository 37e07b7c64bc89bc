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
}
