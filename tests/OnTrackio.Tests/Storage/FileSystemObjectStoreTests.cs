using System.Net;
using System.Text;
using OnTrackio.Storage;

namespace OnTrackio.Tests.Storage;

/// <summary>The store contract on the filesystem store, and what its encryption promises about the files on disk.</summary>
public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests
{
    private const int SealedChunk = EncryptedObjectFormat.ChunkSize + EncryptedObjectFormat.Overhead;

    private FileSystemObjectStore FileStore => Assert.IsType<FileSystemObjectStore>(Store);

    protected override Task<Action<Dictionary<string, string?>>> ConfigureAsync() =>
        Task.FromResult<Action<Dictionary<string, string?>>>(_ => { });

    protected override async Task<HttpResponseMessage> SendToAsync(HttpMethod method, Uri url, HttpContent? content = null) =>
        await Host.SendAsync(method, url.Authority, url.PathAndQuery, request => request.Content = content);

    [Fact]
    public async Task FilesOnDisk_DoNotContainThePlaintext()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        var marker = "INVOICE-MARKER-7f3a9c";
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(marker + " ", 20_000)));

        await Store.PutAsync(key, new MemoryStream(content), "text/plain", Cancel);

        var onDisk = await File.ReadAllBytesAsync(FileStore.PathOf(key), Cancel);
        Assert.True(onDisk.Length > content.Length);
        Assert.Equal(-1, onDisk.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)));
        Assert.Equal(-1, onDisk.AsSpan().IndexOf(Encoding.ASCII.GetBytes("INVOICE")));
        Assert.Equal(content, await ReadAllAsync(key));
    }

    [Fact]
    public async Task Read_OfAFileCutAtAChunkBoundary_Throws_EvenWithItsHeaderMadeToMatch()
    {
        var key = await WriteThreeChunksAsync();
        var path = FileStore.PathOf(key);
        await using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(EncryptedObjectFormat.HeaderSize + (2L * SealedChunk));
        }

        await Assert.ThrowsAsync<CorruptObjectException>(() => ReadAllAsync(key));

        // The header's length is not what protects: the last full chunk is sealed as not the last one.
        var header = new byte[EncryptedObjectFormat.HeaderSize];
        await using (var file = new FileStream(path, FileMode.Open))
        {
            await file.ReadExactlyAsync(header, Cancel);
            EncryptedObjectFormat.TryReadHeader(header, out var version, out _);
            EncryptedObjectFormat.WriteHeader(header, version, 2L * EncryptedObjectFormat.ChunkSize);
            file.Position = 0;
            await file.WriteAsync(header, Cancel);
        }

        await Assert.ThrowsAsync<CorruptObjectException>(() => ReadAllAsync(key));
    }

    [Fact]
    public async Task Read_WithTwoChunksSwapped_Throws()
    {
        var key = await WriteThreeChunksAsync();
        var path = FileStore.PathOf(key);
        var bytes = await File.ReadAllBytesAsync(path, Cancel);
        var first = bytes.AsSpan(EncryptedObjectFormat.HeaderSize, SealedChunk).ToArray();
        bytes.AsSpan(EncryptedObjectFormat.HeaderSize + SealedChunk, SealedChunk).CopyTo(bytes.AsSpan(EncryptedObjectFormat.HeaderSize));
        first.CopyTo(bytes.AsSpan(EncryptedObjectFormat.HeaderSize + SealedChunk));
        await File.WriteAllBytesAsync(path, bytes, Cancel);

        await Assert.ThrowsAsync<CorruptObjectException>(() => ReadAllAsync(key));
    }

    [Fact]
    public async Task Read_OfAChunkFromAnotherObject_Throws()
    {
        var key = await WriteThreeChunksAsync();
        var other = await WriteThreeChunksAsync();
        var bytes = await File.ReadAllBytesAsync(FileStore.PathOf(key), Cancel);
        var foreign = await File.ReadAllBytesAsync(FileStore.PathOf(other), Cancel);
        foreign.AsSpan(EncryptedObjectFormat.HeaderSize + SealedChunk, SealedChunk).CopyTo(bytes.AsSpan(EncryptedObjectFormat.HeaderSize + SealedChunk));
        await File.WriteAllBytesAsync(FileStore.PathOf(key), bytes, Cancel);

        await Assert.ThrowsAsync<CorruptObjectException>(() => ReadAllAsync(key));
    }

    [Fact]
    public async Task Read_OfAFileCopiedIntoAnotherWorkspace_Throws()
    {
        var name = $"documents/{Guid.NewGuid():N}";
        var alphaKey = ObjectKey.For(Alpha.Id, name);
        var betaKey = ObjectKey.For(Beta.Id, name);
        await Store.PutAsync(alphaKey, new MemoryStream(Encoding.UTF8.GetBytes("alpha's invoice")), "text/plain", Cancel);
        Directory.CreateDirectory(Path.GetDirectoryName(FileStore.PathOf(betaKey))!);
        File.Copy(FileStore.PathOf(alphaKey), FileStore.PathOf(betaKey));

        await Assert.ThrowsAsync<CorruptObjectException>(() => ReadAllAsync(betaKey));
        Assert.Equal("alpha's invoice", Encoding.UTF8.GetString(await ReadAllAsync(alphaKey)));
    }

    [Fact]
    public async Task SignedPut_OverTheSizeLimit_Is413_AndKeepsNothing()
    {
        var key = ObjectKey.For(Alpha.Id, $"uploads/{Guid.NewGuid():N}");
        var url = await SignAsync(Alpha, key, SignedMethod.Put);

        using var refused = await SendToAsync(HttpMethod.Put, url, new ByteArrayContent(new byte[MaxObjectBytes + 1]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Null(await Store.FindAsync(key, Cancel));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(FileStore.PathOf(key))!, "*.partial", SearchOption.AllDirectories));
    }

    private async Task<ObjectKey> WriteThreeChunksAsync()
    {
        var key = ObjectKey.For(Alpha.Id, $"documents/{Guid.NewGuid():N}");
        await Store.PutAsync(key, new MemoryStream(new byte[(2 * EncryptedObjectFormat.ChunkSize) + 100]), "application/octet-stream", Cancel);
        Assert.Equal((2 * EncryptedObjectFormat.ChunkSize) + 100, (await ReadAllAsync(key)).Length);
        return key;
    }
}
