using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using OnTrackio.Identity.Sso;

namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// Starts the OpenID Connect flow with a POST (anti-forgery protected), so another site cannot start one in the
/// visitor's browser. 404 in a workspace without usable SSO: the handler would refuse anyway.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SsoStartModel(SsoPolicy policy, ILogger<SsoStartModel> logger) : PageModel
{
    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        return await policy.IsEnabledAsync(cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl, CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrl;
        var options = SsoHandlerOptions.ForRequest(HttpContext);
        if (options is null || !await policy.IsEnabledAsync(cancellationToken))
        {
            return NotFound();
        }

        // Fetched here, not inside the challenge, so that an unreachable provider is a page that says so, not a 500.
        try
        {
            await options.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            // IdentityModel's messages name the metadata address and hide personal data by default; no secret is in them.
            logger.LogWarning(ex, "The identity provider at {Authority} did not answer with its configuration", options.Authority);
            Error = "Your identity provider could not be reached. Try again in a moment, or ask an administrator to check the single sign-on settings.";
            Response.StatusCode = StatusCodes.Status502BadGateway;
            return Page();
        }

        // Only a path on this host: never another host, so never another workspace.
        var complete = SsoScheme.CompletePath + (Url.IsLocalUrl(returnUrl) ? "?returnUrl=" + Uri.EscapeDataString(returnUrl!) : string.Empty);
        return Challenge(new AuthenticationProperties { RedirectUri = complete }, SsoScheme.Name);
    }
}
