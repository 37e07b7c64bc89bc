using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Audit;

/// <summary>
/// The chain's hash function: <c>hash = lower-hex SHA-256(canonical form v1)</c>. Shared by the interceptor that
/// appends, the verifier and the benchmark's bulk loader, so that all three agree byte for byte.
/// </summary>
/// <remarks>
/// Canonical form v1 is a byte string, not JSON, so that no serializer's escaping rules (which change between
/// runtime versions) can ever alter a stored hash:
/// <code>
/// "ontrackio.audit.v1" (ASCII)
/// previous_hash       (64 ASCII hex characters)
/// sequence            (int64, big-endian)
/// occurred_at         (int64 big-endian: UTC ticks of 100 ns, truncated to whole microseconds when appended)
/// then, in this order, each as a field: type (the stored name, e.g. "SignedIn"), actor_type, actor_id (GUID "D",
/// lower case), actor_label, subject, ip_address, user_agent, entity_type, entity_id, changes (the stored JSON text)
/// field = 0x00 for null, or 0x01 + int32 big-endian byte length + UTF-8 bytes
/// </code>
/// A future form gets a new tag ("…v2"); verification would then pick the form by the tag recorded with the entry.
/// </remarks>
public static class AuditChainHasher
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const int FieldCount = 10;

    private static readonly byte[] VersionTag = "ontrackio.audit.v1"u8.ToArray();

    /// <summary>PostgreSQL keeps microseconds, SQLite keeps ticks: hashing whole microseconds lets both read back what was hashed.</summary>
    public static DateTimeOffset Normalise(DateTimeOffset occurredAt) =>
        new(occurredAt.UtcTicks - (occurredAt.UtcTicks % 10), TimeSpan.Zero);

    public static string Compute(string previousHash, long sequence, AuditEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Compute(previousHash, sequence, entry.OccurredAt.UtcTicks,
        [
            entry.Type.ToString(), entry.ActorType, entry.ActorId?.ToString("D"), entry.ActorLabel, entry.Subject,
            entry.IpAddress, entry.UserAgent, entry.EntityType, entry.EntityId, entry.Changes,
        ]);
    }

    /// <summary>
    /// The same hash from the stored columns, for readers that skip materialising entities: <paramref name="fields"/>
    /// are type, actor_type, actor_id, actor_label, subject, ip_address, user_agent, entity_type, entity_id, changes.
    /// </summary>
    public static string Compute(string previousHash, long sequence, long occurredAtUtcTicks, ReadOnlySpan<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        if (fields.Length != FieldCount)
        {
            throw new ArgumentException($"Canonical form v1 has {FieldCount} fields.", nameof(fields));
        }

        var length = VersionTag.Length + Encoding.ASCII.GetByteCount(previousHash) + 16;
        foreach (var field in fields)
        {
            length += field is null ? 1 : 5 + Encoding.UTF8.GetByteCount(field);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = buffer.AsSpan(0, length);
            var at = 0;
            VersionTag.CopyTo(span);
            at += VersionTag.Length;
            at += Encoding.ASCII.GetBytes(previousHash, span[at..]);
            BinaryPrimitives.WriteInt64BigEndian(span[at..], sequence);
            BinaryPrimitives.WriteInt64BigEndian(span[(at + 8)..], occurredAtUtcTicks);
            at += 16;
            foreach (var field in fields)
            {
                if (field is null)
                {
                    span[at++] = 0;
                    continue;
                }

                span[at] = 1;
                var written = Encoding.UTF8.GetBytes(field, span[(at + 5)..]);
                BinaryPrimitives.WriteInt32BigEndian(span[(at + 1)..], written);
                at += 5 + written;
            }

            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(span[..at], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
