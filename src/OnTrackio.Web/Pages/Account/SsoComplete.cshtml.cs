using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity.Sso;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Where the handler sends the browser once the provider's answer is validated: the external cookie (bound to this
/// workspace, five minutes) holds who the provider says this is; <see cref="SsoSignIn"/> decides whether that is
/// someone here. The external cookie is dropped whatever the outcome.
/// </summary>
[AllowAnonymous]
public sealed class SsoCompleteModel(SsoSignIn ssoSignIn) : PageModel
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, bool failed, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        if (failed)
        {
            return Refuse("Single sign-on did not complete: the answer from your identity provider was refused. Start again from the sign-in page.");
        }

        var external = await HttpContext.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded)
        {
            return Refuse("No single sign-on is in progress here, or it took too long. Start again from the sign-in page.");
        }

        var result = await ssoSignIn.ExecuteAsync(external.Principal, cancellationToken);
        if (!result.Succeeded)
        {
            return Refuse(result.Refusal!, StatusCodes.Status403Forbidden);
        }

        if (result.RequiresTwoFactor)
        {
            return Redirect("/account/mfa" + (Url.IsLocalUrl(returnUrl) ? $"?returnUrl={Uri.EscapeDataString(returnUrl!)}" : string.Empty));
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
    }

    private PageResult Refuse(string message, int status = StatusCodes.Status400BadRequest)
    {
        Error = message;
        Response.StatusCode = status;
        return Page();
    }
}
