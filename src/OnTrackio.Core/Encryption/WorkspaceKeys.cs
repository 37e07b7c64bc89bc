using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using OnTrackio.Catalog;
using OnTrackio.Databases;

namespace OnTrackio.Encryption;

/// <summary>
/// Workspace data keys: 256 random bits per version, wrapped by the master key and kept in the catalog, unwrapped on
/// use and cached in memory for a few minutes.
/// </summary>
/// <remarks>
/// The cached current version may lag a rotation made by another process by up to <see cref="CurrentVersionLifetime"/>;
/// values written meanwhile use the previous version, which stays valid until the next rotation re-encrypts them.
/// </remarks>
public sealed class WorkspaceKeys(IMasterKey masterKey, IDatabaseEngine engine, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CurrentVersionLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    /// <summary>A new key version, wrapped and ready to add to the catalog (the caller saves it).</summary>
    public async Task<WorkspaceKey> NewVersionAsync(Guid workspaceId, int version, CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(Aes256Gcm.KeySize);
        try
        {
            var wrapped = await masterKey.WrapAsync(key, Context(workspaceId, version), cancellationToken);
            return new WorkspaceKey
            {
                WorkspaceId = workspaceId,
                Version = version,
                MasterKeyId = wrapped.MasterKeyId,
                WrappedKey = wrapped.Ciphertext,
                CreatedAt = time.GetUtcNow(),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Rewraps a stored key version with the active master key, so that older master keys can be retired.</summary>
    public async Task<bool> RewrapAsync(WorkspaceKey stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.MasterKeyId == masterKey.ActiveKeyId)
        {
            return false;
        }

        var context = Context(stored.WorkspaceId, stored.Version);
        var key = await masterKey.UnwrapAsync(new WrappedDataKey(stored.MasterKeyId, stored.WrappedKey), context, cancellationToken);
        try
        {
            var wrapped = await masterKey.WrapAsync(key, context, cancellationToken);
            stored.MasterKeyId = wrapped.MasterKeyId;
            stored.WrappedKey = wrapped.Ciphertext;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public async Task<(int Version, byte[] Key)> CurrentAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        var version = await _cache.GetOrCreateAsync(("current", workspaceId), async entry =>
        {
            entry.SetSize(1).SetAbsoluteExpiration(CurrentVersionLifetime);
            await using var catalog = engine.CreateCatalogContext();
            return await catalog.WorkspaceKeys.Where(k => k.WorkspaceId == workspaceId).MaxAsync(k => (int?)k.Version, cancellationToken);
        });
        if (version is null)
        {
            _cache.Remove(("current", workspaceId));
            throw new InvalidOperationException($"Workspace {workspaceId} has no data key. Run `ontrackio keys rotate` to create one.");
        }

        return (version.Value, await GetAsync(workspaceId, version.Value, cancellationToken));
    }

    public async Task<byte[]> GetAsync(Guid workspaceId, int version, CancellationToken cancellationToken)
    {
        var key = await _cache.GetOrCreateAsync(("key", workspaceId, version), async entry =>
        {
            entry.SetSize(1).SetSlidingExpiration(KeyLifetime);
            await using var catalog = engine.CreateCatalogContext();
            var stored = await catalog.WorkspaceKeys.AsNoTracking()
                .SingleOrDefaultAsync(k => k.WorkspaceId == workspaceId && k.Version == version, cancellationToken);
            return stored is null
                ? null
                : await masterKey.UnwrapAsync(new WrappedDataKey(stored.MasterKeyId, stored.WrappedKey), Context(workspaceId, version), cancellationToken);
        });
        if (key is null)
        {
            _cache.Remove(("key", workspaceId, version));
            throw new FieldDecryptionException($"Key version {version} of workspace {workspaceId} does not exist (was the workspace deleted?).");
        }

        return key;
    }

    /// <summary>Drops this process's cached keys of a workspace (after rotation or deletion).</summary>
    public void Forget(Guid workspaceId, IEnumerable<int> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        _cache.Remove(("current", workspaceId));
        foreach (var version in versions)
        {
            _cache.Remove(("key", workspaceId, version));
        }
    }

    public void Dispose() => _cache.Dispose();

    private static string Context(Guid workspaceId, int version) => $"workspace/{workspaceId:N}/key/{version}";
}
