using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;

namespace OnTrackio.Storage;

/// <summary>The parts of a filesystem-store signed URL, as the web host read them from a request.</summary>
public sealed record SignedObjectRequest(
    SignedMethod Method,
    string Host,
    ObjectKey Key,
    long ExpiresAt,
    string? DownloadName,
    string? ContentType,
    string Signature);

/// <summary>
/// HMAC-SHA256 signed URLs for objects the web host serves (the filesystem store): <c>/objects/&lt;name&gt;?m=&amp;exp=&amp;dn=&amp;ct=&amp;sig=</c>
/// on the workspace's own host. The MAC covers the method, the host, the full object key, the expiry, the download name
/// and the content type, each length-prefixed so no two different URLs encode to the same bytes.
/// </summary>
/// <remarks>
/// Each workspace signs with its own key, derived from the active master key with the workspace id in the purpose, so a
/// URL of one workspace verifies for no other even before the host and key are compared. URLs minted before the active
/// master key changes stop verifying; they live minutes, and the page that minted them mints new ones.
/// </remarks>
public sealed class SignedObjectUrls(IMasterKey masterKey, TimeProvider time, IOptions<StorageOptions> options)
{
    public const string PathPrefix = "/objects/";
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("ontrackio/signed-object-url/v1");

    public async Task<Uri> SignAsync(SignedUrlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckExpiry(request.ExpiresAt, time.GetUtcNow(), options.Value.MaxSignedUrlLifetime);
        if (!HostName.TryNormalize(request.WorkspaceBaseUri.Authority, out var host))
        {
            throw new ArgumentException("The workspace address is not a valid host.", nameof(request));
        }

        CheckHeaderValue(request.DownloadName, nameof(request.DownloadName));
        CheckHeaderValue(request.ContentType, nameof(request.ContentType));
        var expires = request.ExpiresAt.ToUnixTimeSeconds();
        var signature = await MacAsync(new SignedObjectRequest(request.Method, host, request.Key, expires, request.DownloadName, request.ContentType, string.Empty), cancellationToken);

        var query = new StringBuilder()
            .Append("m=").Append(MethodName(request.Method))
            .Append("&exp=").Append(expires.ToString(CultureInfo.InvariantCulture));
        if (request.DownloadName is not null)
        {
            query.Append("&dn=").Append(Uri.EscapeDataString(request.DownloadName));
        }

        if (request.ContentType is not null)
        {
            query.Append("&ct=").Append(Uri.EscapeDataString(request.ContentType));
        }

        query.Append("&sig=").Append(Base64Url.EncodeToString(signature));
        var baseUri = request.WorkspaceBaseUri.GetLeftPart(UriPartial.Authority);
        return new Uri($"{baseUri}{PathPrefix}{request.Key.Name}?{query}");
    }

    /// <summary>True only for an unexpired URL, within the lifetime cap, whose signature matches every part.</summary>
    public async Task<bool> VerifyAsync(SignedObjectRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.ExpiresAt < now || request.ExpiresAt - now > (long)options.Value.MaxSignedUrlLifetime.TotalSeconds)
        {
            return false;
        }

        var presented = new byte[32];
        if (!TryDecodeBase64Url(request.Signature, presented))
        {
            return false;
        }

        var expected = await MacAsync(request, cancellationToken);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    public static string MethodName(SignedMethod method) => method == SignedMethod.Put ? "PUT" : "GET";

    /// <summary>Refuses an expiry in the past or beyond the configured maximum lifetime.</summary>
    public static void CheckExpiry(DateTimeOffset expiresAt, DateTimeOffset now, TimeSpan maxLifetime)
    {
        if (expiresAt <= now)
        {
            throw new ArgumentException("A signed URL must expire in the future.", nameof(expiresAt));
        }

        if (expiresAt - now > maxLifetime || expiresAt - now > StorageOptions.LifetimeCeiling)
        {
            throw new ArgumentException($"A signed URL lives at most {maxLifetime.TotalMinutes:0} minutes.", nameof(expiresAt));
        }
    }

    private static void CheckHeaderValue(string? value, string name)
    {
        if (value is not null && (value.Length is 0 or > 1024 || value.Any(char.IsControl)))
        {
            throw new ArgumentException($"{name} must be 1 to 1024 characters without control characters.", name);
        }
    }

    private async Task<byte[]> MacAsync(SignedObjectRequest request, CancellationToken cancellationToken)
    {
        var key = await masterKey.DeriveKeyAsync($"signed-object-urls/{request.Key.WorkspaceId:N}", cancellationToken);
        try
        {
            using var message = new MemoryStream();
            Field(message, Label);
            Field(message, Encoding.ASCII.GetBytes(MethodName(request.Method)));
            Field(message, Encoding.UTF8.GetBytes(request.Host.ToLowerInvariant()));
            Field(message, Encoding.UTF8.GetBytes(request.Key.Value));
            Field(message, Encoding.ASCII.GetBytes(request.ExpiresAt.ToString(CultureInfo.InvariantCulture)));
            Field(message, request.DownloadName is null ? null : Encoding.UTF8.GetBytes(request.DownloadName));
            Field(message, request.ContentType is null ? null : Encoding.UTF8.GetBytes(request.ContentType));
            return HMACSHA256.HashData(key, message.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>A 4-byte length then the bytes; an absent value is length -1, distinct from an empty one.</summary>
    private static void Field(MemoryStream message, byte[]? value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value?.Length ?? -1);
        message.Write(length);
        if (value is not null)
        {
            message.Write(value);
        }
    }

    /// <summary>
    /// Exactly the 43 characters the signer emits. Decoders skip whitespace and ignore the unused low bits of the last
    /// character, so the decoded bytes are encoded again and compared: one signature, one spelling.
    /// </summary>
    private static bool TryDecodeBase64Url(string value, Span<byte> destination) =>
        value.Length == 43
        && Base64Url.TryDecodeFromChars(value, destination, out var written)
        && written == 32
        && Base64Url.EncodeToString(destination) == value;
}
