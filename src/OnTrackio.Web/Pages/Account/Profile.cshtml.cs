using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Your own name and address. The email form checks the current password with lockout on failure, which bounds
/// guessing without spending the sign-in rate limit on name changes.
/// </summary>
[Authorize]
public sealed class ProfileModel(UserManager<WorkspaceUser> users) : PageModel
{
    public string CurrentEmail { get; private set; } = string.Empty;

    public string? DisplayName { get; private set; }

    public string? NewEmail { get; private set; }

    public bool HasPassword { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await users.GetUserAsync(User) is { } user ? await ShowAsync(user) : Challenge();

    public async Task<IActionResult> OnPostNameAsync(string? displayName, [FromServices] ChangeDisplayName change)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        try
        {
            await change.ExecuteAsync(user, displayName);
        }
        catch (OperationRefusedException ex)
        {
            return await RefuseAsync(user, ex.Message, displayName: displayName);
        }

        Notice = "Your name is saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEmailAsync(
        string? newEmail, string? currentPassword, [FromServices] RequestEmailChange request, CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        try
        {
            var sentTo = await request.ExecuteAsync(user, newEmail, currentPassword, cancellationToken);
            Notice = $"We sent a link to {sentTo}. Your address changes when you open it.";
        }
        catch (OperationRefusedException ex)
        {
            return await RefuseAsync(user, ex.Message, newEmail: newEmail);
        }

        return RedirectToPage();
    }

    private async Task<IActionResult> RefuseAsync(WorkspaceUser user, string error, string? displayName = null, string? newEmail = null)
    {
        Error = error;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        var page = await ShowAsync(user);
        DisplayName = displayName ?? DisplayName;
        NewEmail = newEmail;
        return page;
    }

    private async Task<IActionResult> ShowAsync(WorkspaceUser user)
    {
        CurrentEmail = user.Email!;
        DisplayName = user.DisplayName;
        HasPassword = await users.HasPasswordAsync(user);
        return Page();
    }
}
