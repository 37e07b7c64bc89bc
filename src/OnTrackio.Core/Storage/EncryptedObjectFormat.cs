using System.Buffers.Binary;
using System.Text;

namespace OnTrackio.Storage;

/// <summary>
/// The filesystem store's file layout: a 20-byte header (<c>OTO1</c>, data key version, chunk size, plaintext length),
/// then chunks of <c>nonce(12) ‖ ciphertext ‖ tag(16)</c>. Every chunk but the last holds exactly
/// <see cref="ChunkSize"/> bytes of plaintext and the last holds fewer (possibly none), so the plaintext length follows
/// from the file's size and a reader knows which chunk must be the last.
/// </summary>
/// <remarks>
/// Each chunk's associated data binds the workspace, the object key, the key version, the chunk size, the chunk's index
/// and whether it is the last (the last also binds the total length): a chunk moved within a file, to another object
/// or to another workspace, a file cut at any point, or an altered header all fail authentication.
/// </remarks>
internal static class EncryptedObjectFormat
{
    public const int ChunkSize = 64 * 1024;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = NonceSize + TagSize;
    public const int HeaderSize = 20;
    private const uint Magic = 0x4F544F31; // "OTO1"
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("ontrackio/object/v1");

    public static void WriteHeader(Span<byte> header, int keyVersion, long length)
    {
        BinaryPrimitives.WriteUInt32BigEndian(header, Magic);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], keyVersion);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], ChunkSize);
        BinaryPrimitives.WriteInt64BigEndian(header[12..], length);
    }

    /// <summary>Reads the header; false when it is not one this format wrote.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int keyVersion, out long length)
    {
        keyVersion = 0;
        length = 0;
        if (header.Length < HeaderSize
            || BinaryPrimitives.ReadUInt32BigEndian(header) != Magic
            || BinaryPrimitives.ReadInt32BigEndian(header[8..]) != ChunkSize)
        {
            return false;
        }

        keyVersion = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        length = BinaryPrimitives.ReadInt64BigEndian(header[12..]);
        return length >= 0;
    }

    /// <summary>The plaintext length a file of <paramref name="fileLength"/> bytes holds, or -1 if no valid file has that size.</summary>
    public static long PlaintextLength(long fileLength)
    {
        var body = fileLength - HeaderSize;
        if (body < Overhead)
        {
            return -1;
        }

        var fullChunks = body / (ChunkSize + Overhead);
        var last = body % (ChunkSize + Overhead);
        return last < Overhead ? -1 : (fullChunks * ChunkSize) + last - Overhead;
    }

    /// <summary>
    /// The associated data of every chunk of one object: a fixed prefix (label, workspace, key, key version, chunk size,
    /// each length-prefixed where variable) followed by 17 bytes that <see cref="SetChunk"/> fills per chunk.
    /// </summary>
    public static byte[] AssociatedData(ObjectKey key, int keyVersion)
    {
        var name = Encoding.UTF8.GetBytes(key.Value);
        var data = new byte[Label.Length + 16 + 4 + name.Length + 4 + 4 + 17];
        var span = data.AsSpan();
        Label.CopyTo(span);
        span = span[Label.Length..];
        key.WorkspaceId.TryWriteBytes(span, bigEndian: true, out _);
        span = span[16..];
        BinaryPrimitives.WriteInt32BigEndian(span, name.Length);
        name.CopyTo(span[4..]);
        span = span[(4 + name.Length)..];
        BinaryPrimitives.WriteInt32BigEndian(span, keyVersion);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], ChunkSize);
        return data;
    }

    /// <summary>Sets the per-chunk tail: index, last-chunk flag, and the total length on the last chunk (-1 before it).</summary>
    public static void SetChunk(byte[] associatedData, long index, bool final, long totalLength)
    {
        var tail = associatedData.AsSpan(associatedData.Length - 17);
        BinaryPrimitives.WriteInt64BigEndian(tail, index);
        tail[8] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(tail[9..], final ? totalLength : -1);
    }
}
