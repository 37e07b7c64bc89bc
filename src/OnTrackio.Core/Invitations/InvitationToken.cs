using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OnTrackio.Invitations;

/// <summary>Invitation tokens: 256 random bits, URL-safe; only the SHA-256 is ever stored.</summary>
public static class InvitationToken
{
    public static (string Token, byte[] Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
