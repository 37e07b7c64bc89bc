using System.Security.Cryptography;

namespace OnTrackio.Domains;

/// <summary>Domain verification challenges: public values the customer publishes, random so they cannot be guessed ahead.</summary>
public static class DomainTokens
{
    public static string Create() => "ontrackio-verify-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
