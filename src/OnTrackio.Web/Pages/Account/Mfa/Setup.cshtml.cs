using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Web.Filters;

namespace OnTrackio.Web.Pages.Account.Mfa;

/// <summary>
/// Enrols an authenticator app: shows the pending secret (QR code and text), confirms it with a first code, then shows
/// the recovery codes once. The secret and the codes are never cached by the browser or a proxy.
/// </summary>
[Authorize]
[RequireRecentAuthentication]
[AllowWithoutMfaEnrolment]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class SetupModel(
    SignInManager<WorkspaceUser> signIn, EnrolTotp enrol, ConfirmTotp confirm, MfaEnforcement enforcement, WorkspaceSessions sessions) : PageModel
{
    public TotpEnrolment? Enrolment { get; private set; }

    public string GroupedSecret => TotpSecret.Grouped(Enrolment?.Secret ?? string.Empty);

    public string QrCode => QrCodeSvg.Render(Enrolment?.KeyUri ?? string.Empty);

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public bool RequiredByPolicy { get; private set; }

    public string? ReturnUrl { get; private set; }

    public string ContinueUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/account/security";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await ShowAsync(user, restart: false, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        RecoveryCodes = await confirm.ExecuteAsync(user, code, cancellationToken);
        if (RecoveryCodes is null)
        {
            await ShowAsync(user, restart: false, cancellationToken);
            Error = Enrolment is null ? null : "That code does not match. Check the time on your device and enter the code the app shows now.";
            Response.StatusCode = Enrolment is null ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            return Page();
        }

        // Sessions opened before this one had only the password; this one carries on, now as a second-factor session.
        await sessions.RevokeAsync(user.Id, CurrentSession, cancellationToken);
        await MfaSession.ReissueAsync(HttpContext, signIn, user, hasSecondFactor: true);
        return Page();
    }

    /// <summary>A new key, for when the old one was seen by someone else or entered wrongly.</summary>
    public async Task<IActionResult> OnPostRestartAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await enrol.ExecuteAsync(user, restart: true, cancellationToken);
        return RedirectToPage(new { returnUrl = Url.IsLocalUrl(returnUrl) ? returnUrl : null });
    }

    private Guid? CurrentSession => Guid.TryParse(User.FindFirst(WorkspaceSessions.ClaimType)?.Value, out var id) ? id : null;

    private async Task ShowAsync(WorkspaceUser user, bool restart, CancellationToken cancellationToken)
    {
        Enrolment = await enrol.ExecuteAsync(user, restart, cancellationToken);
        RequiredByPolicy = Enrolment is not null && await enforcement.MustEnrolAsync(User, cancellationToken);
    }
}
