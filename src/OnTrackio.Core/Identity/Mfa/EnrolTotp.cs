using Microsoft.EntityFrameworkCore;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>What the setup page shows once: the secret for manual entry and the key-URI for the QR code.</summary>
public sealed record TotpEnrolment(string Secret, string KeyUri);

/// <summary>
/// Starts enrolling an authenticator app: a new secret, stored encrypted and unconfirmed until the first code proves
/// the app has it (<see cref="ConfirmTotp"/>). Showing the page again shows the same pending secret, unless restarted.
/// </summary>
public sealed class EnrolTotp(WorkspaceDbContext db, FieldProtector protector, WorkspaceContext workspace, TimeProvider time)
{
    /// <returns>The pending enrolment, or null when the user already has a confirmed authenticator.</returns>
    public async Task<TotpEnrolment?> ExecuteAsync(WorkspaceUser user, bool restart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var workspaceId = workspace.Current.Id;
        var pending = await db.Set<TotpAuthenticator>().SingleOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (pending?.ConfirmedAt is not null)
        {
            return null;
        }

        string secret;
        if (pending is not null && !restart)
        {
            secret = await protector.UnprotectAsync(workspaceId, TotpSecret.AddressOf(user.Id), pending.SecretEncrypted, cancellationToken);
        }
        else
        {
            secret = TotpSecret.New();
            var envelope = await protector.ProtectAsync(workspaceId, TotpSecret.AddressOf(user.Id), secret, cancellationToken);
            if (pending is null)
            {
                db.Add(new TotpAuthenticator { UserId = user.Id, SecretEncrypted = envelope, CreatedAt = time.GetUtcNow() });
            }
            else
            {
                pending.SecretEncrypted = envelope;
                pending.CreatedAt = time.GetUtcNow();
                pending.LastAcceptedStep = null;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException) when (pending is null)
            {
                // The same page opened twice at once: the other request's secret stands, and both show it.
                db.ChangeTracker.Clear();
                return await ExecuteAsync(user, restart: false, cancellationToken);
            }
        }

        return new TotpEnrolment(secret, TotpSecret.UriOf(user.Email!, workspace.Current.DisplayName, secret));
    }
}
