using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>
/// How long the audit log is kept. Reading needs <see cref="Permissions.AuditRead"/>; changing it needs
/// <see cref="Permissions.SettingsManage"/> on the POST itself, since Auditors read this page but must not shorten it.
/// </summary>
[Authorize(Policy = Permissions.AuditRead)]
public sealed class AuditRetentionSettingsModel(
    WorkspaceDbContext db, IAuthorizationService authorization, UserManager<WorkspaceUser> users, ChangeAuditRetention change) : PageModel
{
    public int Days { get; private set; }

    public bool CanManage { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? days, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (!CanManage)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var actor = await users.GetUserAsync(User);
        if (actor is null)
        {
            return Challenge();
        }

        try
        {
            if (!int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                throw new OperationRefusedException("Enter a whole number of days.");
            }

            await change.ExecuteAsync(value, actor, cancellationToken);
            Days = value;
            Saved = true;
        }
        catch (OperationRefusedException ex)
        {
            Error = ex.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Days = await db.Set<AuditRetention>().AsNoTracking().Where(r => r.Id == AuditRetention.SingletonId)
            .Select(r => (int?)r.Days).SingleOrDefaultAsync(cancellationToken) ?? AuditRetention.DefaultDays;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.SettingsManage)).Succeeded;
    }
}
