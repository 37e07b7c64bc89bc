using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Provisioning;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

public sealed record InviteColleagueRequest(string? Email, string? Role);

/// <summary>The link is returned once to the inviter; the database keeps only its hash.</summary>
public sealed record IssuedInvitation(string Email, string Role, DateTimeOffset ExpiresAt, string Link);

/// <summary>Invites someone into the current workspace with a role. Only an Owner can invite another Owner.</summary>
public sealed class InviteColleague(
    WorkspaceDbContext db,
    WorkspaceContext workspace,
    UserManager<WorkspaceUser> users,
    AuditTrail audit,
    IOptions<TenancyOptions> tenancy,
    TimeProvider time)
{
    public async Task<IssuedInvitation> ExecuteAsync(InviteColleagueRequest request, WorkspaceUser inviter, bool inviterIsOwner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inviter);
        var email = WorkspaceInput.Email(request.Email);
        var role = request.Role ?? string.Empty;
        if (!WorkspaceRoles.Exists(role))
        {
            throw new OperationRefusedException($"Unknown role '{role}'. Roles: {string.Join(", ", WorkspaceRoles.All.Select(r => r.Name))}.");
        }

        if (role == WorkspaceRoles.Owner && !inviterIsOwner)
        {
            throw new OperationRefusedException("Only an Owner can invite another Owner.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new OperationRefusedException($"{email} already has an account in this workspace.");
        }

        var now = time.GetUtcNow();
        var pending = await db.Invitations.Where(i => i.Email == email && i.AcceptedAt == null).Select(i => i.ExpiresAt).ToListAsync(cancellationToken);
        if (pending.Any(expires => expires > now))
        {
            throw new OperationRefusedException($"{email} has a pending invitation already.");
        }

        var token = IssueInvitation.Add(db, email, role, now);
        audit.Add(AuditEventType.InvitationIssued, inviter.Id, inviter.Email, $"{email} as {role}");
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedInvitation(email, role, now + IssueInvitation.Lifetime, tenancy.Value.LinkTo(workspace.Current.Hostname, $"/invitations/{token}"));
    }
}
