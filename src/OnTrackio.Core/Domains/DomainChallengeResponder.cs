using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Databases;
using OnTrackio.Tenancy;

namespace OnTrackio.Domains;

/// <summary>
/// Serves <c>/.well-known/ontrackio-domain/&lt;token&gt;</c> on a registered hostname, verified or not, so that HTTP
/// verification succeeds once the customer points the hostname at the platform. It reads only the catalog.
/// </summary>
public sealed class DomainChallengeResponder(IDatabaseEngine engine)
{
    public async Task<bool> IsChallengeAsync(string? host, string token, CancellationToken cancellationToken)
    {
        if (!HostName.TryNormalize(host, out var hostname) || token.Length > 64)
        {
            return false;
        }

        await using var catalog = engine.CreateCatalogContext();
        var expected = await catalog.Domains.AsNoTracking()
            .Where(d => d.Hostname == hostname)
            .Select(d => d.VerificationToken)
            .SingleOrDefaultAsync(cancellationToken);
        return expected is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(token));
    }
}
