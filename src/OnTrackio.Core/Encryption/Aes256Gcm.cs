using System.Security.Cryptography;

namespace OnTrackio.Encryption;

/// <summary>AES-256-GCM with a fresh random 96-bit nonce per value and a 16-byte tag: nonce ‖ ciphertext ‖ tag.</summary>
internal static class Aes256Gcm
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Opens a sealed value; throws <see cref="AuthenticationTagMismatchException"/> if anything differs.</summary>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedValue, ReadOnlySpan<byte> associatedData)
    {
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new AuthenticationTagMismatchException();
        }

        var plaintext = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            sealedValue[..NonceSize],
            sealedValue[NonceSize..^TagSize],
            sealedValue[^TagSize..],
            plaintext,
            associatedData);
        return plaintext;
    }
}
