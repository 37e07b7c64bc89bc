using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace OnTrackio.Identity;

/// <summary>
/// Time-based one-time passwords per RFC 6238 (HMAC-SHA1, 30-second steps, 6 digits): the building block of the MFA
/// sign-in step, which will store each user's secret encrypted and the last accepted step.
/// </summary>
/// <remarks>
/// Identity's own authenticator provider accepts the same code again within its window; <see cref="Verify"/> takes the
/// last accepted step and refuses any step at or before it, so a code observed in use cannot be replayed.
/// </remarks>
public static class Totp
{
    public const int StepSeconds = 30;
    public const int Digits = 6;

    /// <summary>Steps accepted either side of now, for clock drift.</summary>
    public const int Window = 1;

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Security",
        "CA5350",
        Justification = "Authenticator apps implement RFC 6238 with HMAC-SHA1; HMAC does not rely on SHA-1's collision resistance.")]
    public static string Code(ReadOnlySpan<byte> secret, long step, int digits = Digits)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> hash = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, hash);

        // RFC 4226 dynamic truncation.
        var offset = hash[^1] & 0x0F;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash[offset..]) & 0x7FFF_FFFF;
        var code = binary % (int)Math.Pow(10, digits);
        return code.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }

    /// <summary>
    /// The step that <paramref name="code"/> matches within the window around <paramref name="now"/>, if it is later
    /// than <paramref name="lastAcceptedStep"/>; otherwise null. The caller stores the returned step.
    /// </summary>
    public static long? Verify(ReadOnlySpan<byte> secret, string? code, DateTimeOffset now, long? lastAcceptedStep)
    {
        if (code is null || code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        var current = StepAt(now);
        for (var step = current - Window; step <= current + Window; step++)
        {
            if ((lastAcceptedStep is null || step > lastAcceptedStep)
                && CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.ASCII.GetBytes(Code(secret, step)),
                    System.Text.Encoding.ASCII.GetBytes(code)))
            {
                return step;
            }
        }

        return null;
    }
}
