using System.Security.Cryptography;
using static OnTrackio.Storage.EncryptedObjectFormat;

namespace OnTrackio.Storage;

/// <summary>
/// Reads a filesystem store object chunk by chunk: at most one chunk of plaintext is in memory, and no byte reaches
/// the caller before its chunk has authenticated. A file that ends without its last chunk throws
/// <see cref="CorruptObjectException"/> rather than ending early.
/// </summary>
internal sealed class DecryptingObjectStream : Stream
{
    private readonly FileStream _file;
    private readonly AesGcm _cipher;
    private readonly byte[] _associatedData;
    private readonly long _length;
    private readonly byte[] _sealed = new byte[ChunkSize + Overhead];
    private readonly byte[] _plain = new byte[ChunkSize];
    private int _offset;
    private int _count;
    private long _index;
    private long _position;
    private bool _finished;

    /// <summary>Reads from <paramref name="file"/>, positioned just after the header.</summary>
    public DecryptingObjectStream(FileStream file, byte[] key, byte[] associatedData, long length)
    {
        _file = file;
        _cipher = new AesGcm(key, TagSize);
        _associatedData = associatedData;
        _length = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>The plaintext length, known from the file's size without decrypting.</summary>
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Decrypts the first chunk now, so that a damaged object fails before anything is sent.</summary>
    public async Task PrimeAsync(CancellationToken cancellationToken)
    {
        var read = await _file.ReadAtLeastAsync(_sealed, _sealed.Length, throwOnEndOfStream: false, cancellationToken);
        Open(read);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_count == 0 && !_finished)
        {
            Open(_file.ReadAtLeast(_sealed, _sealed.Length, throwOnEndOfStream: false));
        }

        return Take(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_count == 0 && !_finished)
        {
            Open(await _file.ReadAtLeastAsync(_sealed, _sealed.Length, throwOnEndOfStream: false, cancellationToken));
        }

        return Take(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
            _cipher.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_plain);
        await base.DisposeAsync();
    }

    private int Take(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _count);
        _plain.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        _count -= n;
        _position += n;
        return n;
    }

    /// <summary>Authenticates and decrypts the chunk just read (<paramref name="read"/> bytes of it).</summary>
    private void Open(int read)
    {
        // A full-size chunk is never the last one; a shorter one always is. Running out of file before a last chunk
        // means the file was cut.
        if (read < Overhead)
        {
            throw new CorruptObjectException("The stored object ends before its last chunk: it was truncated.");
        }

        var final = read < _sealed.Length;
        var plainLength = read - Overhead;
        SetChunk(_associatedData, _index, final, _index * ChunkSize + plainLength);
        try
        {
            _cipher.Decrypt(
                _sealed.AsSpan(0, NonceSize),
                _sealed.AsSpan(NonceSize, plainLength),
                _sealed.AsSpan(NonceSize + plainLength, TagSize),
                _plain.AsSpan(0, plainLength),
                _associatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CorruptObjectException($"Chunk {_index} of the stored object failed authentication: it was altered, moved, or belongs to another object or workspace.", e);
        }

        _offset = 0;
        _count = plainLength;
        _index++;
        _finished = final;
    }
}
