using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OnTrackio.Email;
using OnTrackio.Identity;
using OnTrackio.Identity.Sso;
using OnTrackio.Tenancy;

namespace OnTrackio.Web.Pages.Account;

/// <summary>Answers the same whether or not the address has an account, so the page cannot be used to list users.</summary>
[AllowAnonymous]
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class ForgotModel(
    UserManager<WorkspaceUser> users, IEmailSender mail, WorkspaceContext workspace, IOptions<TenancyOptions> tenancy, SsoPolicy sso, ILogger<ForgotModel> logger)
    : PageModel
{
    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(string? email, CancellationToken cancellationToken)
    {
        Sent = true;
        var user = await users.FindByEmailAsync(email ?? string.Empty);
        // Where single sign-on is required a reset would hand out a password that cannot be used anyway.
        if (user is null || await users.IsLockedOutAsync(user) || !await sso.AllowsPasswordAsync(user, cancellationToken))
        {
            return;
        }

        var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = tenancy.Value.LinkTo(workspace.Current.Hostname, $"/account/reset?user={user.Id}&token={token}");
        try
        {
            await mail.SendAsync(
                new EmailMessage(
                    user.Email!,
                    $"Choose a new password for {workspace.Current.DisplayName}",
                    string.Join("\n", "Someone asked to reset your OnTrackio password. If it was you, open this link:", link, string.Empty,
                        "If it was not you, ignore this message; your password stays as it is.")),
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Password reset email to {Recipient} was not sent ({Error})", user.Email, ex.GetType().Name);
        }
    }
}
