using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Webhooks;

/// <summary>
/// Signing secrets and signatures as the Standard Webhooks specification has them: a secret is <c>whsec_</c> and the
/// base64 of 32 random bytes; a signature is <c>v1,</c> and the base64 HMAC-SHA256, keyed with those bytes, of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";
    private const int KeyBytes = 32;

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The key bytes of a secret (what is after the prefix, base64-decoded).</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.FromBase64String(secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret);
    }

    public static string Sign(byte[] key, string messageId, long timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var signed = Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{messageId}.{timestamp}."));
        using var hmac = new HMACSHA256(key);
        hmac.TransformBlock(signed, 0, signed.Length, null, 0);
        hmac.TransformFinalBlock(body, 0, body.Length);
        return "v1," + Convert.ToBase64String(hmac.Hash!);
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per current key, separated by spaces.</summary>
    public static string Header(IEnumerable<byte[]> keys, string messageId, long timestamp, byte[] body) =>
        string.Join(' ', keys.Select(key => Sign(key, messageId, timestamp, body)));
}
