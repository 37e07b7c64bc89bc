using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Email;
using OnTrackio.Provisioning;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity;

/// <summary>
/// Starts an email address change: the address changes only when its owner opens the link sent to it
/// (<see cref="ConfirmEmailChange"/>). The token names the user, the new address and the user's security stamp in
/// this workspace's database, so it works once, for <c>DataProtectionTokenProviderOptions.TokenLifespan</c>, and only here.
/// </summary>
public sealed partial class RequestEmailChange(
    UserManager<WorkspaceUser> users,
    SignInManager<WorkspaceUser> signIn,
    IEmailSender email,
    WorkspaceContext workspace,
    IOptions<TenancyOptions> tenancy,
    ILogger<RequestEmailChange> logger)
{
    /// <summary>Asks for the current password first: a session left open must not be enough to take the account over.</summary>
    /// <returns>The address the link was sent to.</returns>
    public async Task<string> ExecuteAsync(WorkspaceUser user, string? newEmail, string? currentPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var address = WorkspaceInput.Email(newEmail);

        // Accounts without a password (single sign-on, passkeys) prove themselves at sign-in instead.
        if (await users.HasPasswordAsync(user))
        {
            var check = await signIn.CheckPasswordSignInAsync(user, currentPassword ?? string.Empty, lockoutOnFailure: true);
            if (!check.Succeeded)
            {
                throw new OperationRefusedException(check.IsLockedOut
                    ? "Too many failed attempts: sign-in is locked for a while."
                    : "Your current password is not right.");
            }
        }

        if (users.NormalizeEmail(address) == user.NormalizedEmail)
        {
            throw new OperationRefusedException($"{address} is already your address.");
        }

        // The answer is the same when the address belongs to someone else here, so the form does not list accounts;
        // confirmation would refuse it anyway.
        if (await users.FindByEmailAsync(address) is not null)
        {
            return address;
        }

        var token = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(await users.GenerateChangeEmailTokenAsync(user, address)));
        var link = tenancy.Value.LinkTo(
            workspace.Current.Hostname, $"/account/confirm-email?user={user.Id}&email={Uri.EscapeDataString(address)}&token={token}");
        var body = string.Join(
            "\n",
            $"Someone signed in to {workspace.Current.DisplayName} on OnTrackio asked to use this address for their account.",
            string.Empty,
            "If it was you, open this link to confirm the change (it works once, for a few hours):",
            link,
            string.Empty,
            "If it was not you, ignore this message; nothing changes.");
        try
        {
            await email.SendAsync(new EmailMessage(address, $"Confirm your new email address for {workspace.Current.DisplayName}", body), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was stored, so the person can simply ask again; the link itself is never logged.
            LogNotSent(logger, address, ex.GetType().Name);
            throw new OperationRefusedException("The confirmation message could not be sent. Try again later.");
        }

        return address;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email change confirmation to {Recipient} was not sent ({Error})")]
    private static partial void LogNotSent(ILogger logger, string recipient, string error);
}
