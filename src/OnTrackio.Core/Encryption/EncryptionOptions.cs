namespace OnTrackio.Encryption;

/// <summary>Where the platform's master keys come from. They are never stored in any database.</summary>
public sealed class EncryptionOptions
{
    public const string Section = "OnTrackio:Encryption";

    /// <summary>Master keys by id, each 32 random bytes in base64 (from a secret store or the environment).</summary>
    public Dictionary<string, string> MasterKeys { get; set; } = [];

    /// <summary>The master key that wraps new and rotated workspace keys. Older ones stay listed until rotation has rewrapped everything.</summary>
    public string? ActiveMasterKeyId { get; set; }

    /// <summary>
    /// A file holding one master key (id <see cref="FileKeyId"/>), for the embedded default. When no keys are configured
    /// and the engine is embedded, it is created beside the data folder's databases with owner-only permissions.
    /// </summary>
    public string? MasterKeyFile { get; set; }

    public const string FileKeyId = "file";
}
