namespace OnTrackio.Storage;

/// <summary>A write went past <see cref="StorageOptions.MaxObjectBytes"/>; nothing of it was kept.</summary>
public sealed class ObjectTooLargeException(long limit)
    : Exception($"The object is larger than the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}
