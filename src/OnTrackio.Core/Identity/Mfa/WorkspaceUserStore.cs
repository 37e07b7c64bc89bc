using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Identity's EF store, except that recovery codes are stored as hashes (<see cref="RecoveryCodes.Hash"/>): Identity
/// keeps them in user_tokens as plaintext, so anyone reading the table could sign in with them.
/// </summary>
public sealed class WorkspaceUserStore(WorkspaceDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<WorkspaceUser, WorkspaceRole, WorkspaceDbContext, Guid>(context, describer)
{
    // Identity's own names for the row, so CountCodesAsync and its other readers keep working.
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    public override Task ReplaceCodesAsync(WorkspaceUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        return StoreHashesAsync(user, recoveryCodes.Select(code => RecoveryCodes.Hash(user.Id, code)), cancellationToken);
    }

    /// <summary>
    /// Spends a code. The caller's <c>UpdateUserAsync</c> saves the shorter list together with a new concurrency stamp,
    /// so two requests spending the same code cannot both succeed.
    /// </summary>
    public override async Task<bool> RedeemCodeAsync(WorkspaceUser user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }

        var stored = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken) ?? string.Empty;
        var hashes = stored.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var candidate = Encoding.ASCII.GetBytes(RecoveryCodes.Hash(user.Id, code));
        var match = Array.FindIndex(hashes, hash => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), candidate));
        if (match < 0)
        {
            return false;
        }

        await StoreHashesAsync(user, hashes.Where((_, i) => i != match), cancellationToken);
        return true;
    }

    private Task StoreHashesAsync(WorkspaceUser user, IEnumerable<string> hashes, CancellationToken cancellationToken) =>
        SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, string.Join(';', hashes), cancellationToken);
}
