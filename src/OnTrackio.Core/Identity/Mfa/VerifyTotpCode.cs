using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Checks a code against the user's confirmed authenticator and spends its time step, so that the same code (or an
/// earlier one) is never accepted again: not later, and not by a second request racing this one.
/// </summary>
public sealed class VerifyTotpCode(WorkspaceDbContext db, FieldProtector protector, WorkspaceContext workspace, TimeProvider time)
{
    public async Task<bool> ExecuteAsync(Guid userId, string? code, CancellationToken cancellationToken)
    {
        var authenticator = await db.Set<TotpAuthenticator>().AsNoTracking()
            .SingleOrDefaultAsync(a => a.UserId == userId && a.ConfirmedAt != null, cancellationToken);
        if (authenticator is null)
        {
            return false;
        }

        var step = await MatchAsync(authenticator, code, cancellationToken);
        if (step is null)
        {
            return false;
        }

        // Two requests carrying the same code can both get this far; the conditional update lets exactly one through,
        // and a step at or before the stored one counts as a replay.
        var spent = await db.Set<TotpAuthenticator>()
            .Where(a => a.UserId == userId && a.ConfirmedAt != null && (a.LastAcceptedStep == null || a.LastAcceptedStep < step))
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastAcceptedStep, step), cancellationToken);
        return spent == 1;
    }

    /// <summary>The step <paramref name="code"/> matches for this authenticator (confirmed or not), without spending it.</summary>
    internal async Task<long?> MatchAsync(TotpAuthenticator authenticator, string? code, CancellationToken cancellationToken)
    {
        var secret = Base32.Decode(await protector.UnprotectAsync(
            workspace.Current.Id, TotpSecret.AddressOf(authenticator.UserId), authenticator.SecretEncrypted, cancellationToken));
        try
        {
            return Totp.Verify(secret, Normalize(code), time.GetUtcNow(), authenticator.LastAcceptedStep);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Apps show codes as "123 456"; people paste them that way.</summary>
    private static string? Normalize(string? code) => code?.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
}
