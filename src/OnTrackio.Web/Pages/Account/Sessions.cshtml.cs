using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Audit;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

[Authorize]
public sealed class SessionsModel(WorkspaceSessions sessions, UserManager<WorkspaceUser> users, AuditTrail audit) : PageModel
{
    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];

    public Guid? Current => Guid.TryParse(User.FindFirst(WorkspaceSessions.ClaimType)?.Value, out var id) ? id : null;

    public int? Ended { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Sessions = await sessions.ListAsync(UserId, cancellationToken);

    public async Task OnPostAsync(CancellationToken cancellationToken)
    {
        Ended = await sessions.RevokeAsync(UserId, Current, cancellationToken);
        await audit.RecordAsync(AuditEventType.SessionsRevoked, UserId, User.Identity?.Name, $"{Ended} other session(s)", cancellationToken);
        Sessions = await sessions.ListAsync(UserId, cancellationToken);
    }

    private Guid UserId => Guid.Parse(users.GetUserId(User)!);
}
