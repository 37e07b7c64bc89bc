using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

/// <summary>
/// Turns a valid, unused invitation into an account with the invited role, in one workspace transaction. The link
/// proves control of the email address, so the account starts confirmed. An invitation works once.
/// </summary>
public sealed class AcceptInvitation(WorkspaceDbContext db, UserManager<WorkspaceUser> users, AuditTrail audit, TimeProvider time)
{
    public async Task<WorkspaceUser> ExecuteAsync(string token, string? displayName, string? password, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = InvitationToken.Hash(token ?? string.Empty);
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null || invitation.AcceptedAt is not null || invitation.ExpiresAt <= now)
        {
            throw new OperationRefusedException("This invitation link is not valid: it was used already, has expired, or belongs elsewhere.");
        }

        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            throw new OperationRefusedException($"An account for {invitation.Email} already exists in this workspace; sign in instead.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = new WorkspaceUser
        {
            Id = Guid.CreateVersion7(now),
            UserName = invitation.Email,
            Email = invitation.Email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            CreatedAt = now,
        };
        (await users.CreateAsync(user, password ?? string.Empty)).ThrowIfFailed();
        (await users.AddToRoleAsync(user, invitation.Role)).ThrowIfFailed();
        invitation.AcceptedAt = now;
        audit.Add(AuditEventType.InvitationAccepted, user.Id, user.Email, $"role {invitation.Role}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return user;
    }
}
