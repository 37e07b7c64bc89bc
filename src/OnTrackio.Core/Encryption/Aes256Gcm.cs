using System.Security.Cryptography;

namespace OnTrackio.Encryption;

/// <summary>AES-256-GCM with a fresh random 96-bit nonce per value and a 16-byte tag: nonce ‖ ciphertext ‖ tag.</summary>
/// <remarks>
/// Setting up a key costs about as much as sealing a short value, so each thread keeps the cipher of the last key it
/// used (keys are long-lived arrays from the key cache). <see cref="AesGcm"/> is not shared between threads.
/// </remarks>
internal static class Aes256Gcm
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    [ThreadStatic]
    private static byte[]? t_key;

    [ThreadStatic]
    private static AesGcm? t_cipher;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Cipher(key).Encrypt(nonce, plaintext, output.AsSpan(NonceSize, plaintext.Length), output.AsSpan(NonceSize + plaintext.Length), associatedData);
        return output;
    }

    /// <summary>Opens a sealed value; throws <see cref="AuthenticationTagMismatchException"/> if anything differs.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedValue, ReadOnlySpan<byte> associatedData)
    {
        if (sealedValue.Length < NonceSize + TagSize)
        {
            throw new AuthenticationTagMismatchException();
        }

        var plaintext = new byte[sealedValue.Length - NonceSize - TagSize];
        Cipher(key).Decrypt(
            sealedValue[..NonceSize],
            sealedValue[NonceSize..^TagSize],
            sealedValue[^TagSize..],
            plaintext,
            associatedData);
        return plaintext;
    }

    private static AesGcm Cipher(byte[] key)
    {
        if (!ReferenceEquals(t_key, key) || t_cipher is null)
        {
            t_cipher?.Dispose();
            t_cipher = new AesGcm(key, TagSize);
            t_key = key;
        }

        return t_cipher;
    }
}
