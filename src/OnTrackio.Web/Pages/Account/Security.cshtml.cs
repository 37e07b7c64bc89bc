using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;

namespace OnTrackio.Web.Pages.Account;

/// <summary>One place to see and change how you sign in: second factors, recovery codes, password, sessions.</summary>
[Authorize]
public sealed class SecurityModel(UserManager<WorkspaceUser> users, SecondFactors factors, MfaEnforcement enforcement) : PageModel
{
    public SecondFactorStatus Status { get; private set; } = new(false, false, 0, 0);

    public bool RequiredForYou { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Status = await factors.OfAsync(user, cancellationToken);
        var policy = new SecurityPolicy { MfaRequirement = await enforcement.RequirementAsync(cancellationToken) };
        RequiredForYou = policy.RequiresMfa(User.FindAll(ClaimTypes.Role).Select(c => c.Value));
        return Page();
    }
}
