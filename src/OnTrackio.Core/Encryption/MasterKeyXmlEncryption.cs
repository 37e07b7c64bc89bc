using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Encryption;

/// <summary>
/// Encrypts each Data Protection key with the platform master key before it is stored in the catalog, so the key ring
/// that protects every session cookie is unreadable without the master key, like everything else encrypted here.
/// </summary>
internal sealed class MasterKeyXmlEncryptor(IMasterKey masterKey) : IXmlEncryptor
{
    public const string Context = "data-protection-key-ring";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));

        // Data Protection's interfaces are synchronous; the local master key completes synchronously.
        var wrapped = masterKey.WrapAsync(plaintext, Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var element = new XElement(
            "encryptedKey",
            new XAttribute("masterKeyId", wrapped.MasterKeyId),
            new XElement("value", Convert.ToBase64String(wrapped.Ciphertext)));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}

/// <summary>Created by Data Protection through its activator, which passes the service provider.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var masterKey = services.GetRequiredService<IMasterKey>();
        var wrapped = new WrappedDataKey(
            (string)encryptedElement.Attribute("masterKeyId")!,
            Convert.FromBase64String((string)encryptedElement.Element("value")!));
        var plaintext = masterKey.UnwrapAsync(wrapped, MasterKeyXmlEncryptor.Context, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
