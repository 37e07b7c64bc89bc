using Microsoft.Extensions.Options;
using OnTrackio.Databases;
using OnTrackio.Encryption;

namespace OnTrackio.Storage;

/// <summary>
/// The object store of each region, from <c>OnTrackio:Storage</c>: a region with its own entry under <c>Regions</c>
/// gets that store, every other region the default one. Callers ask with the resolved workspace's region:
/// <c>objectStores.ForRegion(workspaceContext.Current.RegionId)</c>.
/// </summary>
public sealed class ObjectStores : IDisposable
{
    private readonly IObjectStore _default;
    private readonly Dictionary<string, IObjectStore> _regions = new(StringComparer.Ordinal);

    public ObjectStores(IOptions<StorageOptions> options, IOptions<SqliteEngineOptions> sqlite, WorkspaceKeys keys, SignedObjectUrls urls, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sqlite);
        var settings = options.Value;
        var defaultRoot = Path.Combine(sqlite.Value.ResolvedDataDirectory, "objects");
        _default = Create(settings, settings, defaultRoot, keys, urls, time);
        foreach (var (region, store) in settings.Regions)
        {
            _regions[region] = Create(store, settings, defaultRoot, keys, urls, time);
        }
    }

    public IObjectStore ForRegion(string regionId) => _regions.GetValueOrDefault(regionId, _default);

    public void Dispose()
    {
        foreach (var store in _regions.Values.Prepend(_default).OfType<IDisposable>())
        {
            store.Dispose();
        }
    }

    private static IObjectStore Create(
        ObjectStoreOptions store, StorageOptions settings, string defaultRoot, WorkspaceKeys keys, SignedObjectUrls urls, TimeProvider time) =>
        store.Kind == ObjectStoreKind.S3
            ? new S3ObjectStore(store.S3, settings.MaxObjectBytes, settings.MaxSignedUrlLifetime, time)
            : new FileSystemObjectStore(store.FileSystem.Root ?? defaultRoot, keys, urls, settings.MaxObjectBytes);
}
