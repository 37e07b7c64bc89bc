using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Documents;

/// <summary>
/// The upload as the store reads it: the detected head first, then the rest of the source, counted, hashed and (for
/// text) checked as it passes, so the file is inspected in the one pass that stores it and never held whole. Going
/// over <see cref="Limit"/>, or text turning out not to be text, throws from the read — the store's write fails and the
/// caller deletes whatever it had written.
/// </summary>
internal sealed class InspectedContent : Stream
{
    private readonly byte[] _head;
    private readonly Stream _source;
    private readonly Func<long, UploadRefusedException> _overLimit;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Decoder? _text;
    private readonly string _name;
    private int _headOffset;
    private bool _ended;

    public InspectedContent(byte[] head, Stream source, DocumentType type, string name, long limit, Func<long, UploadRefusedException> overLimit)
    {
        _head = head;
        _source = source;
        _name = name;
        Limit = limit;
        _overLimit = overLimit;
        _text = type.IsText ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder() : null;
    }

    public long Limit { get; }

    public long BytesRead { get; private set; }

    /// <summary>Lower-case hex SHA-256 of everything read; valid once the stream has been read to its end.</summary>
    public string Sha256 => _ended ? Convert.ToHexStringLower(_hash.GetCurrentHash()) : throw new InvalidOperationException("The content was not read to its end.");

    public bool Ended => _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    /// <summary>Reads up to <paramref name="length"/> leading bytes of <paramref name="source"/> (fewer only at its end).</summary>
    public static async Task<byte[]> ReadHeadAsync(Stream source, int length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled == length ? buffer : buffer[..filled];
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_headOffset < _head.Length)
        {
            return Accept(ServeHead(buffer), buffer);
        }

        return Accept(_ended ? 0 : _source.Read(buffer), buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_headOffset < _head.Length)
        {
            return Accept(ServeHead(buffer.Span), buffer.Span);
        }

        return Accept(_ended ? 0 : await _source.ReadAsync(buffer, cancellationToken), buffer.Span);
    }

    private int ServeHead(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _head.Length - _headOffset);
        _head.AsSpan(_headOffset, count).CopyTo(buffer);
        _headOffset += count;
        return count;
    }

    private int Accept(int read, Span<byte> buffer)
    {
        if (read == 0)
        {
            if (!_ended)
            {
                _ended = true;
                CheckText([], flush: true);
            }

            return 0;
        }

        var chunk = buffer[..read];
        BytesRead += read;
        if (BytesRead > Limit)
        {
            throw _overLimit(BytesRead);
        }

        _hash.AppendData(chunk);
        CheckText(chunk, flush: false);
        return read;
    }

    private void CheckText(ReadOnlySpan<byte> chunk, bool flush)
    {
        if (_text is null)
        {
            return;
        }

        try
        {
            if (chunk.Contains((byte)0))
            {
                throw new DecoderFallbackException();
            }

            _text.GetCharCount(chunk, flush);
        }
        catch (DecoderFallbackException)
        {
            throw new UploadRefusedException($"{_name} is named as text but is not plain UTF-8 text throughout; it is refused.");
        }
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
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
