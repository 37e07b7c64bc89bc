using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using OnTrackio.Audit;
using OnTrackio.Email;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity;

/// <summary>
/// Completes an email change from the emailed link. The user is looked up in this host's workspace database only, and
/// the token must match that user's current security stamp there, so a link opened on another workspace's host finds
/// no one. The user name follows the address when it was the address; every session ends; the old address is told.
/// </summary>
public sealed partial class ConfirmEmailChange(
    UserManager<WorkspaceUser> users,
    WorkspaceSessions sessions,
    AuditTrail audit,
    IEmailSender email,
    WorkspaceContext workspace,
    ILogger<ConfirmEmailChange> logger)
{
    public const string InvalidLink = "This link is not valid any more: it was used already, has expired, or belongs elsewhere. Ask for a new one from your profile.";

    public async Task<WorkspaceUser> ExecuteAsync(string? userId, string? newEmail, string? token, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(userId, out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        var decoded = Decode(token);
        if (user is null || string.IsNullOrEmpty(newEmail) || decoded is null
            || !await users.VerifyUserTokenAsync(
                user, users.Options.Tokens.ChangeEmailTokenProvider, UserManager<WorkspaceUser>.GetChangeEmailTokenPurpose(newEmail), decoded))
        {
            throw new OperationRefusedException(InvalidLink);
        }

        var previous = user.Email!;

        // Accounts are created with the address as user name (AcceptInvitation); sign-in by address must keep working.
        if (string.Equals(user.UserName, previous, StringComparison.OrdinalIgnoreCase))
        {
            user.UserName = newEmail;
            await users.UpdateNormalizedUserNameAsync(user);
        }

        var ended = await sessions.RevokeLaterAsync(user.Id, except: null, cancellationToken);
        audit.Add(AuditEventType.EmailChanged, user.Id, newEmail, $"{previous} → {newEmail}");

        // ChangeEmailAsync checks the token again, sets the address as confirmed, renews the security stamp (so the
        // link works once) and saves the user name, the ended sessions and the audit entry in one commit.
        (await users.ChangeEmailAsync(user, newEmail, decoded)).ThrowIfFailed();
        sessions.Forget(ended);
        await NotifyPreviousAsync(previous, newEmail, cancellationToken);
        return user;
    }

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048 || !Base64Url.IsValid(token))
        {
            return null;
        }

        return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
    }

    /// <summary>The old address hears of the change, so that a change its owner did not make does not go unnoticed.</summary>
    private async Task NotifyPreviousAsync(string previous, string current, CancellationToken cancellationToken)
    {
        var body = string.Join(
            "\n",
            $"The email address of your account in {workspace.Current.DisplayName} on OnTrackio is now {current}.",
            string.Empty,
            "If you did not make this change, tell your workspace administrator at once.");
        try
        {
            await email.SendAsync(new EmailMessage(previous, $"Your email address for {workspace.Current.DisplayName} was changed", body), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotSent(logger, previous, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email change notice to {Recipient} was not sent ({Error})")]
    private static partial void LogNotSent(ILogger logger, string recipient, string error);
}
