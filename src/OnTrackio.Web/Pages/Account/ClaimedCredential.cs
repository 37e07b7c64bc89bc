using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// What a posted WebAuthn credential says about itself (its id, and the user handle an assertion carries), read
/// without verifying anything. Only for labels: naming the passkey and the account in audit entries. Every decision
/// is Identity's, after it verified the signature.
/// </summary>
internal readonly record struct ClaimedCredential(byte[]? Id, Guid? UserId)
{
    /// <summary>Far above any real credential (about 1–2 KB, more with attestation certificates); larger posts are refused unread.</summary>
    public const int MaxJsonLength = 64 * 1024;

    public static bool IsPlausible(string? json) => !string.IsNullOrWhiteSpace(json) && json.Length <= MaxJsonLength;

    public static ClaimedCredential Read(string? json)
    {
        if (!IsPlausible(json))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(json!);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? Decode(idElement.GetString())
                : null;
            Guid? userId = root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
                && response.TryGetProperty("userHandle", out var handle) && handle.ValueKind == JsonValueKind.String
                && Decode(handle.GetString()) is { } handleBytes && Guid.TryParse(Encoding.UTF8.GetString(handleBytes), out var parsed)
                    ? parsed
                    : null;
            return new ClaimedCredential(id, userId);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>Credential ids travel base64url-encoded, in the credential JSON and in the passkeys page's forms.</summary>
    public static byte[]? Decode(string? base64Url)
    {
        if (string.IsNullOrEmpty(base64Url) || base64Url.Length > 2048)
        {
            return null;
        }

        try
        {
            return Base64Url.DecodeFromChars(base64Url);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
