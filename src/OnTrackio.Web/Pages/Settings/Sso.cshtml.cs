using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Identity.Sso;

namespace OnTrackio.Web.Pages.Settings;

/// <summary>The fields of the settings form; the secret is write-only.</summary>
public sealed class SsoSettingsForm
{
    public bool Enabled { get; set; }

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? AllowedEmailDomains { get; set; }

    public bool JustInTimeCreation { get; set; }

    public bool RequireSso { get; set; }

    public Guid? BreakGlassUserId { get; set; }

    public int Revision { get; set; }
}

/// <summary>
/// Reading needs settings.read (Auditors included); saving needs settings.manage, checked in the handler because Razor
/// Pages apply one policy per page. The client secret is never sent back, not even after a refused save.
/// </summary>
[Authorize(Policy = Permissions.SettingsRead)]
public sealed class SsoModel(ConfigureSso configure, UserManager<WorkspaceUser> users, IAuthorizationService authorization) : PageModel
{
    public SsoSettingsForm Form { get; private set; } = new();

    public bool ClientSecretSet { get; private set; }

    public IReadOnlyList<WorkspaceUser> Owners { get; private set; } = [];

    public bool CanManage { get; private set; }

    public bool Saved { get; private set; }

    public string? Error { get; private set; }

    /// <summary>What the admin registers at the provider as the redirect URI.</summary>
    public string CallbackUrl => $"{Request.Scheme}://{Request.Host}{Request.PathBase}{SsoScheme.CallbackPath}";

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        Saved = saved;
        var settings = await LoadAsync(cancellationToken);
        var row = settings.Configuration;
        Form = new SsoSettingsForm
        {
            Enabled = row.Enabled,
            Authority = row.Authority,
            ClientId = row.ClientId,
            AllowedEmailDomains = row.AllowedEmailDomains,
            JustInTimeCreation = row.JustInTimeCreation,
            RequireSso = row.RequireSso,
            BreakGlassUserId = row.BreakGlassUserId,
            Revision = row.Revision,
        };
    }

    public async Task<IActionResult> OnPostAsync(SsoSettingsForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        await LoadAsync(cancellationToken);
        Form = form;
        if (!CanManage)
        {
            Error = "Your role can view these settings but not change them.";
            return Refused(StatusCodes.Status403Forbidden);
        }

        var actor = await users.GetUserAsync(User);
        if (actor is null)
        {
            return Challenge();
        }

        try
        {
            await configure.ExecuteAsync(
                new ConfigureSsoRequest(
                    form.Enabled, form.Authority, form.ClientId, form.ClientSecret, form.AllowedEmailDomains,
                    form.JustInTimeCreation, form.RequireSso, form.BreakGlassUserId, form.Revision),
                actor,
                cancellationToken);
        }
        catch (OperationRefusedException refused)
        {
            Error = string.IsNullOrEmpty(form.ClientSecret)
                ? refused.Message
                : refused.Message + " The client secret you typed was not saved: type it again.";
            return Refused(StatusCodes.Status400BadRequest);
        }

        return RedirectToPage(new { saved = true });
    }

    private PageResult Refused(int status)
    {
        Form.ClientSecret = null;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<SsoSettings> LoadAsync(CancellationToken cancellationToken)
    {
        var settings = await configure.ReadAsync(cancellationToken);
        ClientSecretSet = settings.ClientSecretSet;
        Owners = settings.Owners;
        CanManage = (await authorization.AuthorizeAsync(User, Permissions.SettingsManage)).Succeeded;
        return settings;
    }
}
