using System.Globalization;
using System.Security.Cryptography;
using OnTrackio.Encryption;

namespace OnTrackio.Identity.Mfa;

/// <summary>The shared secret of an authenticator app: how it is made, where it is bound, and how apps receive it.</summary>
public static class TotpSecret
{
    /// <summary>160 bits, the HMAC-SHA1 key length RFC 4226 recommends.</summary>
    public const int Bytes = 20;

    public const string Issuer = "OnTrackio";

    public static string New() => Base32.Encode(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>The ciphertext is bound to the user's row: moved to another user, it does not decrypt.</summary>
    public static FieldAddress AddressOf(Guid userId) =>
        new(TotpAuthenticator.Table, TotpAuthenticator.SecretColumn, EncryptedColumns.RowOf(userId));

    /// <summary>
    /// The key-URI that authenticator apps read from a QR code. The issuer names the workspace, so someone in several
    /// workspaces can tell their entries apart.
    /// </summary>
    public static string UriOf(string email, string workspaceName, string secret) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"otpauth://totp/{Issuer}:{Uri.EscapeDataString(email)}?secret={secret}&issuer={Uri.EscapeDataString($"{Issuer} ({workspaceName})")}");

    /// <summary>The secret as people type it: groups of four.</summary>
    public static string Grouped(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return string.Join(' ', secret.Chunk(4).Select(chunk => new string(chunk)));
    }
}
