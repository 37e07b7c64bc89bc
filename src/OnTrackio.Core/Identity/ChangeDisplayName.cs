using Microsoft.AspNetCore.Identity;
using OnTrackio.Audit;

namespace OnTrackio.Identity;

/// <summary>Sets the name colleagues see; an empty name clears it (the email is shown instead).</summary>
public sealed class ChangeDisplayName(UserManager<WorkspaceUser> users, AuditTrail audit)
{
    public const int MaxLength = 200;

    public async Task ExecuteAsync(WorkspaceUser user, string? displayName)
    {
        ArgumentNullException.ThrowIfNull(user);
        var name = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim();
        if (name is not null && (name.Length > MaxLength || name.Any(char.IsControl)))
        {
            throw new OperationRefusedException($"A display name is at most {MaxLength} printable characters.");
        }

        if (name == user.DisplayName)
        {
            return;
        }

        audit.Add(AuditEventType.ProfileChanged, user.Id, user.Email, $"display name: {user.DisplayName ?? "(none)"} → {name ?? "(none)"}");
        user.DisplayName = name;
        (await users.UpdateAsync(user)).ThrowIfFailed();
    }
}
