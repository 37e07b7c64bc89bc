using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// One user of this workspace. Anyone with users.read sees it; changes need users.manage. The id is looked up in
/// this host's workspace database only, so another workspace's user id is simply not found.
/// </summary>
[Authorize(Policy = Permissions.UsersRead)]
public sealed class UserDetailsModel(ListUsers list, UserManager<WorkspaceUser> users, IAuthorizationService authorization) : PageModel
{
    public UserSummary Summary { get; private set; } = null!;

    /// <summary>The roles ticked in the form: the user's, or on a refused change, what was submitted.</summary>
    public IReadOnlyCollection<string> SelectedRoles { get; private set; } = [];

    public bool CanManage { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) => ShowAsync(id, null, cancellationToken);

    [RequiresPermission(Permissions.UsersManage)]
    public Task<IActionResult> OnPostRolesAsync(Guid id, string[]? roles, [FromServices] ChangeUserRoles change, CancellationToken cancellationToken) =>
        ChangeAsync(id, roles, actor => change.ExecuteAsync(id, new ChangeUserRolesRequest(roles), actor, IsOwner, cancellationToken), "Roles saved; the user was signed out everywhere.", cancellationToken);

    [RequiresPermission(Permissions.UsersManage)]
    public Task<IActionResult> OnPostLockAsync(Guid id, [FromServices] LockUser lockUser, CancellationToken cancellationToken) =>
        ChangeAsync(id, null, actor => lockUser.ExecuteAsync(id, actor, IsOwner, cancellationToken), "Locked; every session of this user has ended.", cancellationToken);

    [RequiresPermission(Permissions.UsersManage)]
    public Task<IActionResult> OnPostUnlockAsync(Guid id, [FromServices] UnlockUser unlock, CancellationToken cancellationToken) =>
        ChangeAsync(id, null, actor => unlock.ExecuteAsync(id, actor, IsOwner, cancellationToken), "Unlocked; the user can sign in again.", cancellationToken);

    private bool IsOwner => User.IsInRole(WorkspaceRoles.Owner);

    /// <summary>Runs a change, then redirects to this page (so a reload does not repeat it) or shows the refusal with what was submitted.</summary>
    private async Task<IActionResult> ChangeAsync(Guid id, string[]? submittedRoles, Func<WorkspaceUser, Task> change, string done, CancellationToken cancellationToken)
    {
        var actor = await users.GetUserAsync(User);
        if (actor is null)
        {
            return Challenge();
        }

        try
        {
            if (await list.FindAsync(id, cancellationToken) is null)
            {
                return NotFound();
            }

            await change(actor);
        }
        catch (OperationRefusedException ex)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ShowAsync(id, ex.Message, cancellationToken, submittedRoles);
        }

        Notice = done;
        return RedirectToPage(new { id });
    }

    private async Task<IActionResult> ShowAsync(Guid id, string? error, CancellationToken cancellationToken, string[]? submittedRoles = null)
    {
        var summary = await list.FindAsync(id, cancellationToken);
        if (summary is null)
        {
            return NotFound();
        }

        Summary = summary;
        SelectedRoles = submittedRoles ?? [.. summary.Roles];
        Error = error;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.UsersManage)).Succeeded;
        return Page();
    }
}
