using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Webhooks;

/// <summary>
/// The receiving side of the Standard Webhooks specification, written here from the specification and not from the
/// platform's code: strip <c>whsec_</c>, base64-decode the key, HMAC-SHA256 over <c>id.timestamp.body</c>, and accept
/// when any <c>v1,</c> signature of the space-separated header matches, with the timestamp within five minutes.
/// </summary>
internal static class StandardWebhooksVerifier
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, ReceivedWebhook request, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(request);
        if (!long.TryParse(request.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (DateTimeOffset.FromUnixTimeSeconds(seconds) - (now ?? DateTimeOffset.UtcNow)).Duration() > Tolerance)
        {
            return false;
        }

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.").Concat(request.Body).ToArray();
        var expected = HMACSHA256.HashData(key, content);
        foreach (var part in request.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && part[..comma] == "v1"
                && TryBase64(part[(comma + 1)..], out var given)
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
