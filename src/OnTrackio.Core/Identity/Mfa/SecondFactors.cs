using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>What a user has for a second factor.</summary>
public sealed record SecondFactorStatus(bool TotpConfirmed, bool TotpPending, int RecoveryCodesLeft, int Passkeys)
{
    /// <summary>A passkey counts: it proves possession of a device on its own.</summary>
    public bool HasSecondFactor => TotpConfirmed || Passkeys > 0;
}

/// <summary>Reads a user's second factors: a confirmed authenticator app, passkeys, and recovery codes left.</summary>
public sealed class SecondFactors(WorkspaceDbContext db, UserManager<WorkspaceUser> users)
{
    public async Task<SecondFactorStatus> OfAsync(WorkspaceUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var totp = await db.Set<TotpAuthenticator>().AsNoTracking()
            .Where(a => a.UserId == user.Id).Select(a => new { a.ConfirmedAt }).SingleOrDefaultAsync(cancellationToken);
        var passkeys = await db.Set<IdentityUserPasskey<Guid>>().CountAsync(p => p.UserId == user.Id, cancellationToken);
        var codes = totp?.ConfirmedAt is null ? 0 : await users.CountRecoveryCodesAsync(user);
        return new SecondFactorStatus(totp?.ConfirmedAt is not null, totp is { ConfirmedAt: null }, codes, passkeys);
    }

    /// <summary>One round trip: a confirmed authenticator or any passkey.</summary>
    internal static Task<bool> AnyAsync(WorkspaceDbContext db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).AnyAsync(
            u => db.Set<TotpAuthenticator>().Any(a => a.UserId == u.Id && a.ConfirmedAt != null)
                || db.Set<IdentityUserPasskey<Guid>>().Any(p => p.UserId == u.Id),
            cancellationToken);
}
