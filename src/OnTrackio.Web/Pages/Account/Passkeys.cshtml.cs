using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Audit;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Tenancy;
using OnTrackio.Web.Filters;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// The signed-in person's passkeys for this workspace: list, add, rename, remove. The whole page asks for a recent
/// proof of identity, because adding a passkey adds a way into the account and removing one can lock its owner out.
/// </summary>
[Authorize]
[AllowWithoutMfaEnrolment] // A passkey is a second factor: adding one is a way to meet the MFA policy.
[RequireRecentAuthentication]
public sealed class PasskeysModel(SignInManager<WorkspaceUser> signIn, AuditTrail audit, WorkspaceContext workspace) : PageModel
{
    public const int MaxNameLength = 100;

    private UserManager<WorkspaceUser> Users => signIn.UserManager;

    public IReadOnlyList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public string Hostname => workspace.Current.Hostname;

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done) =>
        await ShowAsync(done switch
        {
            "added" => "Passkey added. You can now sign in with it here.",
            "renamed" => "Passkey renamed.",
            "removed" => "Passkey removed. It no longer signs you in here; sessions it already started end from the sessions page.",
            _ => null,
        });

    public async Task<IActionResult> OnPostCreationOptionsAsync()
    {
        var user = await Users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var email = user.Email ?? user.UserName ?? user.Id.ToString();
        var entity = new PasskeyUserEntity { Id = user.Id.ToString(), Name = email, DisplayName = user.DisplayName ?? email };
        return Content(await signIn.MakePasskeyCreationOptionsAsync(entity), "application/json");
    }

    public async Task<IActionResult> OnPostAddAsync(string? credential, string? name)
    {
        var user = await Users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (CleanName(name) is not { } cleanName)
        {
            return await RefuseAsync($"Give the passkey a name of 1 to {MaxNameLength} characters, such as the device it lives on.");
        }

        var attestation = await AttestAsync(credential);
        if (attestation is not { Succeeded: true, Passkey: not null } || attestation.UserEntity?.Id != user.Id.ToString())
        {
            return await RefuseAsync("The passkey could not be added. Try again.");
        }

        attestation.Passkey.Name = cleanName;

        // The audit entry joins the save Identity makes for the passkey: both are recorded, or neither.
        audit.Add(AuditEventType.PasskeyAdded, user.Id, user.Email, PasskeySignInModel.PasskeyLabel(cleanName));
        var result = await Users.AddOrUpdatePasskeyAsync(user, attestation.Passkey);
        return result.Succeeded ? RedirectToPage(new { done = "added" }) : await RefuseAsync(Describe(result));
    }

    public async Task<IActionResult> OnPostRenameAsync(string? id, string? name)
    {
        var (user, passkey) = await FindAsync(id);
        if (user is null || passkey is null)
        {
            return await RefuseAsync("That passkey is not one of yours.", StatusCodes.Status404NotFound);
        }

        if (CleanName(name) is not { } cleanName)
        {
            return await RefuseAsync($"Give the passkey a name of 1 to {MaxNameLength} characters.");
        }

        passkey.Name = cleanName;
        var result = await Users.AddOrUpdatePasskeyAsync(user, passkey);
        return result.Succeeded ? RedirectToPage(new { done = "renamed" }) : await RefuseAsync(Describe(result));
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? id)
    {
        var (user, passkey) = await FindAsync(id);
        if (user is null || passkey is null)
        {
            return await RefuseAsync("That passkey is not one of yours.", StatusCodes.Status404NotFound);
        }

        audit.Add(AuditEventType.PasskeyRemoved, user.Id, user.Email, PasskeySignInModel.PasskeyLabel(passkey.Name));
        var result = await Users.RemovePasskeyAsync(user, passkey.CredentialId);
        return result.Succeeded ? RedirectToPage(new { done = "removed" }) : await RefuseAsync(Describe(result));
    }

    public static string Id(UserPasskeyInfo passkey)
    {
        ArgumentNullException.ThrowIfNull(passkey);
        return ClaimedCredential.Encode(passkey.CredentialId);
    }

    private async Task<(WorkspaceUser? User, UserPasskeyInfo? Passkey)> FindAsync(string? id)
    {
        var user = await Users.GetUserAsync(User);
        var credentialId = ClaimedCredential.Decode(id);
        return user is null || credentialId is null ? (user, null) : (user, await Users.GetPasskeyAsync(user, credentialId));
    }

    private async Task<PasskeyAttestationResult?> AttestAsync(string? credential)
    {
        if (!ClaimedCredential.IsPlausible(credential))
        {
            return null;
        }

        try
        {
            return await signIn.PerformPasskeyAttestationAsync(credential!);
        }
        catch (InvalidOperationException)
        {
            // No ceremony was started in this browser (no options fetched here, or used already).
            return null;
        }
    }

    private async Task<IActionResult> ShowAsync(string? notice)
    {
        Notice = notice;
        var user = await Users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Passkeys = [.. (await Users.GetPasskeysAsync(user)).OrderBy(p => p.CreatedAt)];
        return Page();
    }

    private async Task<IActionResult> RefuseAsync(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Response.StatusCode = status;
        return await ShowAsync(null);
    }

    private static string? CleanName(string? name) =>
        name?.Trim() is { Length: > 0 and <= MaxNameLength } trimmed && !trimmed.Any(char.IsControl) ? trimmed : null;

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}
