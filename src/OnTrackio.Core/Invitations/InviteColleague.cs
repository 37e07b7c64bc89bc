using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Email;
using OnTrackio.Identity;
using OnTrackio.Provisioning;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

public sealed record InviteColleagueRequest(string? Email, string? Role);

/// <summary>
/// The link is emailed to the invitee and returned once to the inviter (to share by hand if the email does not
/// arrive); the database keeps only its hash.
/// </summary>
public sealed record IssuedInvitation(string Email, string Role, DateTimeOffset ExpiresAt, string Link, bool Emailed);

/// <summary>Invites someone into the current workspace with a role. Only an Owner can invite another Owner.</summary>
public sealed partial class InviteColleague(
    WorkspaceDbContext db,
    WorkspaceContext workspace,
    UserManager<WorkspaceUser> users,
    AuditTrail audit,
    IEmailSender email,
    IOptions<TenancyOptions> tenancy,
    TimeProvider time,
    ILogger<InviteColleague> logger)
{
    public async Task<IssuedInvitation> ExecuteAsync(InviteColleagueRequest request, WorkspaceUser inviter, bool inviterIsOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inviter);
        var invitee = WorkspaceInput.Email(request.Email);
        var role = request.Role ?? string.Empty;
        if (!WorkspaceRoles.Exists(role))
        {
            throw new OperationRefusedException($"Unknown role '{role}'. Roles: {string.Join(", ", WorkspaceRoles.All.Select(r => r.Name))}.");
        }

        if (role == WorkspaceRoles.Owner && !inviterIsOwner)
        {
            throw new OperationRefusedException("Only an Owner can invite another Owner.");
        }

        if (await users.FindByEmailAsync(invitee) is not null)
        {
            throw new OperationRefusedException($"{invitee} already has an account in this workspace.");
        }

        var now = time.GetUtcNow();
        var pending = await db.Invitations.Where(i => i.Email == invitee && i.AcceptedAt == null).Select(i => i.ExpiresAt).ToListAsync(cancellationToken);
        if (pending.Any(expires => expires > now))
        {
            throw new OperationRefusedException($"{invitee} has a pending invitation already.");
        }

        var token = IssueInvitation.Add(db, invitee, role, now);
        audit.Add(AuditEventType.InvitationIssued, inviter.Id, inviter.Email, $"{invitee} as {role}");
        await db.SaveChangesAsync(cancellationToken);
        var link = tenancy.Value.LinkTo(workspace.Current.Hostname, $"/invitations/{token}");
        var expiresAt = now + IssueInvitation.Lifetime;
        var emailed = await SendAsync(invitee, role, inviter, link, expiresAt, cancellationToken);
        return new IssuedInvitation(invitee, role, expiresAt, link, emailed);
    }

    /// <summary>Sent after the commit: the invitation stands even if delivery fails, and the inviter still has the link.</summary>
    private async Task<bool> SendAsync(
        string invitee, string role, WorkspaceUser inviter, string link, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var name = workspace.Current.DisplayName;
        var body = string.Join(
            "\n",
            $"{inviter.DisplayName ?? inviter.Email} invited you to the workspace {name} as {role}.",
            string.Empty,
            $"Open this link to choose a password and sign in (it works once, until {expiresAt:yyyy-MM-dd HH:mm} UTC):",
            link,
            string.Empty,
            "If you did not expect this, ignore this message.");
        try
        {
            await email.SendAsync(new EmailMessage(invitee, $"You are invited to {name} on OnTrackio", body), cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotSent(logger, invitee, ex.GetType().Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invitation email to {Recipient} was not sent ({Error}); the inviter has the link")]
    private static partial void LogNotSent(ILogger logger, string recipient, string error);
}
