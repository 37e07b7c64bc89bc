using System.IO.Hashing;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.ApiTokens;

/// <summary>
/// The token as its holder sees it: <c>otk_</c>, the public token id (22 base62 characters, 128 bits), the secret (43
/// base62 characters, 256 random bits) and a checksum (CRC-32 of everything before it, 6 base62 characters), 75
/// characters in all: <c>otk_[0-9A-Za-z]{71}</c>.
/// </summary>
/// <remarks>
/// The fixed prefix lets secret scanners (and people) recognise a leaked token; the checksum lets a typo or a made-up
/// token be refused before any database is asked; the id lets the database find the token without the secret, whose
/// SHA-256 is then compared in constant time. Base62 keeps the whole token one word to double-click.
/// </remarks>
public static class ApiTokenFormat
{
    public const string Prefix = "otk_";
    public const int IdLength = 22;
    public const int SecretLength = 43;
    public const int ChecksumLength = 6;
    public const int Length = 4 + IdLength + SecretLength + ChecksumLength;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly BigInteger Largest128 = (BigInteger.One << 128) - 1;

    /// <summary>A new token for <paramref name="id"/>: the whole token (shown once) and its secret part.</summary>
    public static (string Token, string Secret) Issue(Guid id)
    {
        // 43 characters drawn uniformly from 62: 43 × log2(62) ≈ 256 bits.
        var secret = RandomNumberGenerator.GetString(Alphabet, SecretLength);
        var body = Prefix + EncodeId(id) + secret;
        return (body + Checksum(body), secret);
    }

    /// <summary>
    /// Reads a token's id and secret when it has this format and its checksum holds; false for anything else, without
    /// touching a database.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> token, out Guid id, out string secret)
    {
        (id, secret) = (Guid.Empty, string.Empty);
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length..].ContainsAnyExcept(Base62))
        {
            return false;
        }

        var body = token[..^ChecksumLength];
        if (!token[^ChecksumLength..].SequenceEqual(Checksum(body)) || !TryDecodeId(token.Slice(Prefix.Length, IdLength), out id))
        {
            return false;
        }

        secret = token.Slice(Prefix.Length + IdLength, SecretLength).ToString();
        return true;
    }

    /// <summary>What the database keeps of a secret.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.ASCII.GetBytes(secret));

    /// <summary>Compares a presented secret with a stored hash in constant time.</summary>
    public static bool Matches(string secret, byte[] storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(secret), presented);
        return CryptographicOperations.FixedTimeEquals(presented, storedHash);
    }

    /// <summary>How lists show a token: the prefix, the start of its id and its last four characters.</summary>
    public static string Display(Guid id, string lastFour) => $"{Prefix}{EncodeId(id)[..6]}…{lastFour}";

    private static readonly System.Buffers.SearchValues<char> Base62 = System.Buffers.SearchValues.Create(Alphabet);

    private static string Checksum(ReadOnlySpan<char> body)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        return Encode(Crc32.HashToUInt32(ascii), ChecksumLength);
    }

    private static string EncodeId(Guid id) => Encode(new BigInteger(id.ToByteArray(bigEndian: true), isUnsigned: true, isBigEndian: true), IdLength);

    private static bool TryDecodeId(ReadOnlySpan<char> text, out Guid id)
    {
        var value = BigInteger.Zero;
        foreach (var c in text)
        {
            value = (value * 62) + Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        if (value > Largest128)
        {
            id = Guid.Empty;
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        value.TryWriteBytes(bytes[(16 - value.GetByteCount(isUnsigned: true))..], out _, isUnsigned: true, isBigEndian: true);
        id = new Guid(bytes, bigEndian: true);
        return true;
    }

    private static string Encode(BigInteger value, int width)
    {
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(chars);
    }
}
