using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// The workspace's MFA policy. Reading needs <see cref="Permissions.SettingsRead"/> (Auditors too); changing it needs
/// <see cref="Permissions.SettingsManage"/>, checked on the POST itself since page handlers cannot carry policies.
/// </summary>
[Authorize(Policy = Permissions.SettingsRead)]
public sealed class SecurityPolicyModel(
    WorkspaceDbContext db, IAuthorizationService authorization, UserManager<WorkspaceUser> users, ChangeMfaPolicy change) : PageModel
{
    public static readonly IReadOnlyList<(MfaRequirement Value, string Label)> Choices =
    [
        (MfaRequirement.Optional, "Nobody: each person chooses"),
        (MfaRequirement.Admins, "Owners and Admins"),
        (MfaRequirement.Everyone, "Everyone"),
    ];

    public MfaRequirement Requirement { get; private set; }

    public bool CanManage { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? mfaRequirement, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!CanManage)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!Enum.TryParse<MfaRequirement>(mfaRequirement, ignoreCase: true, out var requirement)
            || !Enum.IsDefined(requirement) || int.TryParse(mfaRequirement, out _))
        {
            Error = "Choose one of the options.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var actor = await users.GetUserAsync(User);
        if (actor is null)
        {
            return Challenge();
        }

        await change.ExecuteAsync(requirement, actor, cancellationToken);
        Requirement = requirement;
        Saved = true;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        // Read fresh, not from the enforcement cache: this page is where a change must show at once.
        Requirement = await db.Set<SecurityPolicy>().AsNoTracking()
            .Where(p => p.Id == SecurityPolicy.SingletonId).Select(p => (MfaRequirement?)p.MfaRequirement)
            .SingleOrDefaultAsync(cancellationToken) ?? MfaRequirement.Optional;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.SettingsManage)).Succeeded;
    }
}
