using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// One-time codes for when the authenticator app is lost: 100 random bits each, shown once, kept only as SHA-256
/// hashes bound to the user, so a database reader cannot use them and a hash copied to another user matches nothing.
/// </summary>
public static class RecoveryCodes
{
    /// <summary>How many a user gets at a time.</summary>
    public const int Count = 10;

    /// <summary>Crockford's base32: no I, L, O or U, so a code read aloud or from paper is not misread.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private const int Groups = 4;
    private const int GroupLength = 5;

    /// <summary>20 symbols of 5 bits: 100 random bits, well above the 80 that makes guessing hopeless online.</summary>
    public static string New()
    {
        Span<byte> random = stackalloc byte[Groups * GroupLength];
        RandomNumberGenerator.Fill(random);
        var code = new StringBuilder((Groups * GroupLength) + Groups - 1);
        for (var i = 0; i < random.Length; i++)
        {
            if (i > 0 && i % GroupLength == 0)
            {
                code.Append('-');
            }

            // 256 is a multiple of 32, so masking keeps every symbol equally likely.
            code.Append(Alphabet[random[i] & 31]);
        }

        return code.ToString();
    }

    /// <summary>
    /// The stored form of a code: base64url SHA-256 of the user id and the code as typed, less case, spaces and
    /// dashes. Codes carry 100 random bits, so a fast hash does not make them guessable.
    /// </summary>
    public static string Hash(Guid userId, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var normalized = Normalize(code);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"ontrackio-recovery|{userId:D}|{normalized}")));
    }

    private static string Normalize(string code)
    {
        var builder = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (c is not ('-' or ' '))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        // Crockford's reading of the letters people confuse with digits.
        return builder.Replace('O', '0').Replace('I', '1').Replace('L', '1').ToString();
    }
}
