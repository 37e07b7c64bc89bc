using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OnTrackio.Databases;

namespace OnTrackio.Encryption;

/// <summary>
/// Master keys held by this process, from configuration (<c>OnTrackio:Encryption:MasterKeys</c>) or, for the embedded
/// default, a key file created on first use. Wrapping is AES-256-GCM bound to the caller's context.
/// </summary>
internal sealed class LocalMasterKeys : IMasterKey
{
    private readonly Dictionary<string, byte[]> _keys;

    public LocalMasterKeys(IOptions<EncryptionOptions> options, IOptions<DatabaseOptions> database, IOptions<SqliteEngineOptions> sqlite)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(sqlite);
        var settings = options.Value;
        _keys = settings.MasterKeys.ToDictionary(k => k.Key, k => Decode(k.Key, k.Value), StringComparer.Ordinal);

        var file = settings.MasterKeyFile;
        if (file is null && _keys.Count == 0 && database.Value.Engine == DatabaseEngineKind.Sqlite)
        {
            file = Path.Combine(sqlite.Value.ResolvedDataDirectory, "master.key");
        }

        if (file is not null)
        {
            _keys[EncryptionOptions.FileKeyId] = LoadOrCreate(file);
        }

        ActiveKeyId = settings.ActiveMasterKeyId ?? (_keys.Count == 1 ? _keys.Keys.Single() : string.Empty);
        if (!_keys.ContainsKey(ActiveKeyId))
        {
            throw new OptionsValidationException(EncryptionOptions.Section, typeof(EncryptionOptions), [
                _keys.Count == 0
                    ? "No master key is configured. Set OnTrackio:Encryption:MasterKeys:<id> (32 random bytes, base64) and ActiveMasterKeyId, or MasterKeyFile."
                    : $"OnTrackio:Encryption:ActiveMasterKeyId must name one of the configured master keys ({string.Join(", ", _keys.Keys)}).",
            ]);
        }
    }

    public string ActiveKeyId { get; }

    public ValueTask<WrappedDataKey> WrapAsync(ReadOnlyMemory<byte> dataKey, string context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new WrappedDataKey(ActiveKeyId, Aes256Gcm.Seal(_keys[ActiveKeyId], dataKey.Span, Context(ActiveKeyId, context))));

    public ValueTask<byte[]> UnwrapAsync(WrappedDataKey wrapped, string context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!_keys.TryGetValue(wrapped.MasterKeyId, out var key))
        {
            throw new CryptographicException($"Master key '{wrapped.MasterKeyId}' is not configured; it is needed to unwrap this workspace key.");
        }

        return ValueTask.FromResult(Aes256Gcm.Open(key, wrapped.Ciphertext, Context(wrapped.MasterKeyId, context)));
    }

    public ValueTask<byte[]> DeriveKeyAsync(string purpose, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);

        // HKDF keeps derived keys independent of each other and of the wrapping above, which uses the master key as is.
        return ValueTask.FromResult(HKDF.DeriveKey(
            HashAlgorithmName.SHA256,
            _keys[ActiveKeyId],
            Aes256Gcm.KeySize,
            Encoding.UTF8.GetBytes($"ontrackio/derive/{ActiveKeyId}"),
            Encoding.UTF8.GetBytes(purpose)));
    }

    private static byte[] Context(string masterKeyId, string context) => Encoding.UTF8.GetBytes($"ontrackio/master/{masterKeyId}/{context}");

    private static byte[] Decode(string id, string value)
    {
        try
        {
            var key = Convert.FromBase64String(value);
            if (key.Length == Aes256Gcm.KeySize)
            {
                return key;
            }
        }
        catch (FormatException)
        {
            // Reported below with the key's id, never its value.
        }

        throw new OptionsValidationException(EncryptionOptions.Section, typeof(EncryptionOptions), [$"Master key '{id}' must be 32 bytes in base64."]);
    }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Decode(EncryptionOptions.FileKeyId, File.ReadAllText(path).Trim());
        }

        OwnerOnly.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = RandomNumberGenerator.GetBytes(Aes256Gcm.KeySize);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        using (var writer = new StreamWriter(new FileStream(partial, OwnerOnly.NewFile())))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        try
        {
            // Atomic: readers see no file or a whole key, never half of one.
            File.Move(partial, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            File.Delete(partial);
            return Decode(EncryptionOptions.FileKeyId, File.ReadAllText(path).Trim());
        }

        return key;
    }
}
