using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Encryption;

/// <summary>Where a protected value lives: its table, column and row. All three are bound into the ciphertext.</summary>
public readonly record struct FieldAddress(string Table, string Column, string Row);

/// <summary>
/// Application-layer encryption of individual values with the workspace's data key: AES-256-GCM, a fresh nonce per
/// value, and associated data binding the ciphertext to workspace, table, column, row and key version, so a value
/// copied to another row or another workspace does not decrypt. Envelope: <c>otx1.&lt;key version&gt;.&lt;base64url&gt;</c>.
/// </summary>
public sealed class FieldProtector(WorkspaceKeys keys)
{
    /// <summary>Envelope format identifier; a new format gets a new prefix and both are read during migration.</summary>
    public const string Format = "otx1";

    public async Task<string> ProtectAsync(Guid workspaceId, FieldAddress field, string plaintext, CancellationToken cancellationToken)
    {
        var (version, key) = await keys.CurrentAsync(workspaceId, cancellationToken);
        return Seal(workspaceId, field, version, key, plaintext);
    }

    public async Task<string> UnprotectAsync(Guid workspaceId, FieldAddress field, string envelope, CancellationToken cancellationToken)
    {
        var version = VersionOf(envelope);
        var key = await keys.GetAsync(workspaceId, version, cancellationToken);
        return Open(workspaceId, field, version, key, envelope);
    }

    public static int VersionOf(string envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var parts = envelope.Split('.');
        return parts.Length == 3 && parts[0] == Format && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new FieldDecryptionException("The value is not a protected-field envelope.");
    }

    internal static string Seal(Guid workspaceId, FieldAddress field, int version, byte[] key, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var sealedValue = Aes256Gcm.Seal(key, Encoding.UTF8.GetBytes(plaintext), AssociatedData(workspaceId, field, version));
        return string.Create(CultureInfo.InvariantCulture, $"{Format}.{version}.{Base64Url.EncodeToString(sealedValue)}");
    }

    internal static string Open(Guid workspaceId, FieldAddress field, int version, byte[] key, string envelope)
    {
        try
        {
            var sealedValue = Base64Url.DecodeFromChars(envelope.AsSpan(envelope.LastIndexOf('.') + 1));
            return Encoding.UTF8.GetString(Aes256Gcm.Open(key, sealedValue, AssociatedData(workspaceId, field, version)));
        }
        catch (Exception ex) when (ex is AuthenticationTagMismatchException or FormatException)
        {
            throw new FieldDecryptionException(
                $"{field.Table}.{field.Column} of row {field.Row} does not decrypt: it belongs to another row, column or workspace, or was altered.");
        }
    }

    // Each part is length-prefixed, so no choice of row key can make two different addresses read the same.
    private static byte[] AssociatedData(Guid workspaceId, FieldAddress field, int version) =>
        Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{Format}|{workspaceId:N}|{field.Table.Length}:{field.Table}|{field.Column.Length}:{field.Column}|{field.Row.Length}:{field.Row}|{version}"));
}
