using System.Security.Cryptography;
using OnTrackio.Encryption;
using static OnTrackio.Storage.EncryptedObjectFormat;

namespace OnTrackio.Storage;

/// <summary>
/// The embedded default store: one file per object under a root folder, encrypted with the workspace's data key
/// (AES-256-GCM in 64 KiB chunks, see <see cref="EncryptedObjectFormat"/>), so the files are unreadable without the
/// catalog's wrapped key and the master key. Signed URLs for it are served by the web host (<see cref="SignedObjectUrls"/>).
/// </summary>
/// <remarks>
/// Files keep the key version they were written with. <c>ontrackio keys rotate</c> keeps earlier versions (rewrapped),
/// so older files stay readable; deleting a workspace deletes its keys, after which its files are noise.
/// </remarks>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const int ChunksPerWrite = 16;

    private readonly string _root;
    private readonly WorkspaceKeys _keys;
    private readonly SignedObjectUrls _urls;
    private readonly long _maxObjectBytes;

    public FileSystemObjectStore(string root, WorkspaceKeys keys, SignedObjectUrls urls, long maxObjectBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        _keys = keys;
        _urls = urls;
        _maxObjectBytes = maxObjectBytes;
    }

    public string Root => _root;

    public async Task<StoredObject> PutAsync(ObjectKey key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        OwnerOnly.CreateDirectory(directory);
        var (version, dataKey) = await _keys.CurrentAsync(key.WorkspaceId, cancellationToken);

        // Written beside the final file and renamed over it: readers see the old object or the new one, never a part,
        // and a write that fails (too large, client gone) leaves nothing behind.
        var partial = Path.Combine(directory, $".{Guid.NewGuid():N}.partial");
        long length = 0;
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                length = await EncryptAsync(content, file, key, version, dataKey, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        return new StoredObject(key, length, File.GetLastWriteTimeUtc(path));
    }

    public async Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        FileStream file;
        try
        {
            file = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new NotFoundException("The document's content was not found.");
        }

        try
        {
            var header = new byte[HeaderSize];
            var read = await file.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken);
            var derived = PlaintextLength(file.Length);
            if (read < HeaderSize || !TryReadHeader(header, out var version, out var length) || length != derived)
            {
                throw new CorruptObjectException("The stored object's header is damaged or its size does not match it.");
            }

            byte[] dataKey;
            try
            {
                dataKey = await _keys.GetAsync(key.WorkspaceId, version, cancellationToken);
            }
            catch (FieldDecryptionException e)
            {
                throw new CorruptObjectException("The stored object names a key version this workspace does not have.", e);
            }

            var stream = new DecryptingObjectStream(file, dataKey, AssociatedData(key, version), length);
            try
            {
                await stream.PrimeAsync(cancellationToken);
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }

            return stream;
        }
        catch when (!file.SafeFileHandle.IsClosed)
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public Task<StoredObject?> FindAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(key));
        if (!info.Exists)
        {
            return Task.FromResult<StoredObject?>(null);
        }

        // The size alone gives the plaintext length; a damaged file shows when it is read.
        return Task.FromResult<StoredObject?>(new StoredObject(key, Math.Max(0, PlaintextLength(info.Length)), new DateTimeOffset(info.LastWriteTimeUtc)));
    }

    public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task<Uri> SignUrlAsync(SignedUrlRequest request, CancellationToken cancellationToken) => _urls.SignAsync(request, cancellationToken);

    /// <summary>
    /// The file of a key: only <see cref="ObjectKey.Value"/> (a workspace id and a name of a small alphabet without
    /// <c>.</c>/<c>..</c> segments) under the root, and checked again after the path is made absolute.
    /// </summary>
    internal string PathOf(ObjectKey key)
    {
        if (!ObjectKey.IsValidName(key.Name))
        {
            throw new ArgumentException("Not a valid object key.", nameof(key));
        }

        var path = Path.GetFullPath(Path.Combine(_root, key.Value.Replace('/', Path.DirectorySeparatorChar)));
        return path.StartsWith(_root, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("The object key leads outside the store's root.", nameof(key));
    }

    private async Task<long> EncryptAsync(Stream content, FileStream file, ObjectKey key, int version, byte[] dataKey, CancellationToken cancellationToken)
    {
        using var cipher = new AesGcm(dataKey, TagSize);
        var associatedData = AssociatedData(key, version);
        var plain = new byte[ChunkSize];

        // Sealed chunks gather in a 1 MiB block written at once: one write (and, on Linux, one thread-pool hop of
        // asynchronous file I/O) per sixteen chunks instead of one per chunk.
        var block = new byte[ChunksPerWrite * (ChunkSize + Overhead)];
        var filled = 0;
        var header = new byte[HeaderSize];
        await file.WriteAsync(header, cancellationToken);
        long total = 0;
        try
        {
            for (long index = 0; ; index++)
            {
                var read = await content.ReadAtLeastAsync(plain, ChunkSize, throwOnEndOfStream: false, cancellationToken);
                total += read;
                if (total > _maxObjectBytes)
                {
                    throw new ObjectTooLargeException(_maxObjectBytes);
                }

                // A full chunk is never the last: at the end comes a shorter one, empty if the length is a multiple.
                var final = read < ChunkSize;
                SetChunk(associatedData, index, final, total);
                var sealedChunk = block.AsSpan(filled, read + Overhead);
                RandomNumberGenerator.Fill(sealedChunk[..NonceSize]);
                cipher.Encrypt(
                    sealedChunk[..NonceSize],
                    plain.AsSpan(0, read),
                    sealedChunk.Slice(NonceSize, read),
                    sealedChunk.Slice(NonceSize + read, TagSize),
                    associatedData);
                filled += sealedChunk.Length;
                if (final || filled == block.Length)
                {
                    await file.WriteAsync(block.AsMemory(0, filled), cancellationToken);
                    filled = 0;
                }

                if (final)
                {
                    break;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        WriteHeader(header, version, total);
        file.Seek(0, SeekOrigin.Begin);
        await file.WriteAsync(header, cancellationToken);
        return total;
    }
}
