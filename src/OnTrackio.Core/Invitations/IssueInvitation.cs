using OnTrackio.WorkspaceData;

namespace OnTrackio.Invitations;

/// <summary>Records an invitation in the workspace database and returns the one-time token for the link.</summary>
public static class IssueInvitation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public const string OwnerRole = "Owner";

    /// <summary>Adds the invitation to <paramref name="db"/> without saving, so the caller decides the transaction.</summary>
    public static string Add(WorkspaceDbContext db, string email, string role, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (token, hash) = InvitationToken.Create();
        db.Invitations.Add(new Invitation
        {
            Id = Guid.CreateVersion7(now),
            Email = email,
            Role = role,
            TokenHash = hash,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
        });
        return token;
    }
}
