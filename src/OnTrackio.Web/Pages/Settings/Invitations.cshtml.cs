using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Invitations;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>Pending invitations (users.read), inviting (users.invite) and revoking (users.manage).</summary>
[Authorize(Policy = Permissions.UsersRead)]
public sealed class InvitationsModel(ListInvitations list, UserManager<WorkspaceUser> users, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<PendingInvitation> Pending { get; private set; } = [];

    public bool CanInvite { get; private set; }

    public bool CanManage { get; private set; }

    /// <summary>Only an Owner invites an Owner, so others are not offered the role.</summary>
    public IEnumerable<string> InvitableRoles => WorkspaceRoles.All.Select(r => r.Name)
        .Where(r => r != WorkspaceRoles.Owner || User.IsInRole(WorkspaceRoles.Owner));

    public string? Email { get; private set; }

    public string Role { get; private set; } = WorkspaceRoles.Member;

    /// <summary>The link, shown once to the inviter right after inviting; never stored, never shown again.</summary>
    public IssuedInvitation? Issued { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    [RequiresPermission(Permissions.UsersInvite)]
    public async Task<IActionResult> OnPostInviteAsync(string? email, string? role, [FromServices] InviteColleague invite, CancellationToken cancellationToken)
    {
        var inviter = await users.GetUserAsync(User);
        if (inviter is null)
        {
            return Challenge();
        }

        try
        {
            Issued = await invite.ExecuteAsync(new InviteColleagueRequest(email, role), inviter, User.IsInRole(WorkspaceRoles.Owner), cancellationToken);
        }
        catch (OperationRefusedException ex)
        {
            (Email, Role, Error) = (email, role ?? WorkspaceRoles.Member, ex.Message);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // The page carries the one-time link, so it must not be cached or leak through a Referer.
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        await LoadAsync(cancellationToken);
        return Page();
    }

    [RequiresPermission(Permissions.UsersManage)]
    public async Task<IActionResult> OnPostRevokeAsync(Guid id, [FromServices] RevokeInvitation revoke, CancellationToken cancellationToken)
    {
        var actor = await users.GetUserAsync(User);
        if (actor is null)
        {
            return Challenge();
        }

        if (!await revoke.ExecuteAsync(id, actor, cancellationToken))
        {
            return NotFound();
        }

        Notice = "Invitation revoked: its link no longer works.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Pending = await list.ExecuteAsync(cancellationToken);
        CanInvite = (await authorization.AuthorizeAsync(User, Permissions.UsersInvite)).Succeeded;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.UsersManage)).Succeeded;
    }
}
