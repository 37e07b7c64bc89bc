using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Sso;

/// <summary>
/// How an SSO sign-in ended; <see cref="Refusal"/> is written for the person at the browser. With
/// <see cref="RequiresTwoFactor"/> the session waits for the person's OnTrackio second factor, as after a password.
/// </summary>
public sealed record SsoSignInResult(WorkspaceUser? User, string? Refusal, bool RequiresTwoFactor = false)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Turns the identity the provider vouched for (the external cookie's principal) into a session of this workspace:
/// the email must be verified and in an allowed domain; the account is found by its linked login, else by email, else
/// created as a Member when just-in-time creation is on. Every outcome is audited.
/// </summary>
public sealed class SsoSignIn(
    SsoPolicy policy, UserManager<WorkspaceUser> users, SignInManager<WorkspaceUser> signIn, WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<SsoSignInResult> ExecuteAsync(ClaimsPrincipal external, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(external);
        var configuration = await policy.ConfigurationAsync(cancellationToken);
        var subject = external.FindFirst("sub");
        var email = external.FindFirst("email")?.Value.Trim();
        if (configuration is not { Enabled: true })
        {
            return await RefuseAsync(email, "SSO disabled", "Single sign-on is not turned on for this workspace.", cancellationToken);
        }

        if (subject is null || string.IsNullOrEmpty(email) || email.Length > 254)
        {
            return await RefuseAsync(email, "no email", "Your identity provider did not share an email address. Ask your administrator to release the email claim to OnTrackio.", cancellationToken);
        }

        // Absent means the provider makes no statement (many vouch only for their own domain's mailboxes); false is a refusal.
        if (external.FindFirst("email_verified") is { } verified && !string.Equals(verified.Value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return await RefuseAsync(email, "email not verified", $"Your identity provider has not verified {email}. Verify it there, then sign in again.", cancellationToken);
        }

        if (!SsoEmailDomains.Allows(configuration, email))
        {
            return await RefuseAsync(email, "domain not allowed", $"Addresses like {email} may not sign in to this workspace with single sign-on.", cancellationToken);
        }

        // The claim's issuer is the one the token was validated against, not a value the token could merely assert.
        var login = new UserLoginInfo(SsoScheme.LoginProvider(subject.Issuer), subject.Value, SsoScheme.DisplayName);
        var user = await users.FindByLoginAsync(login.LoginProvider, login.ProviderKey);
        var linked = user is not null;
        if (user is null && await users.FindByEmailAsync(email) is { } byEmail)
        {
            // The provider may have given this address to someone else since the account was linked.
            if ((await users.GetLoginsAsync(byEmail)).Any(l => l.LoginProvider == login.LoginProvider))
            {
                return await RefuseAsync(email, "linked to another subject", $"The account {email} is linked to a different single sign-on identity. Ask an administrator.", cancellationToken);
            }

            user = byEmail;
        }

        if (user is null && !configuration.JustInTimeCreation)
        {
            return await RefuseAsync(email, "no account", $"There is no account for {email} in this workspace. Ask an administrator to invite you.", cancellationToken);
        }

        if (user is not null && await users.IsLockedOutAsync(user))
        {
            return await RefuseAsync(email, "locked out", "This account is locked. Try again later or ask an administrator.", cancellationToken);
        }

        // Creating the account, linking the login and the audit entries commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (user is null)
        {
            user = new WorkspaceUser
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()),
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = external.FindFirst("name")?.Value is { Length: > 0 and <= 200 } name ? name : null,
                CreatedAt = time.GetUtcNow(),
            };
            (await users.CreateAsync(user)).ThrowIfFailed();
            (await users.AddToRoleAsync(user, WorkspaceRoles.Member)).ThrowIfFailed();
            audit.Add(AuditEventType.SsoUserCreated, user.Id, user.Email, $"role {WorkspaceRoles.Member}, {login.LoginProvider}");
        }

        if (!linked)
        {
            (await users.AddLoginAsync(user, login)).ThrowIfFailed();
        }

        audit.Add(AuditEventType.SsoSignIn, user.Id, user.Email, login.LoginProvider);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The provider's own checks are invisible here, so a person who enrolled an OnTrackio second factor is asked
        // for it as after a password; Identity also refuses a locked account at this step.
        var outcome = await signIn.ExternalLoginSignInAsync(login.LoginProvider, login.ProviderKey, isPersistent: false, bypassTwoFactor: false);
        if (outcome.IsLockedOut || outcome.IsNotAllowed)
        {
            return await RefuseAsync(user.Email, outcome.IsLockedOut ? "locked out" : "not allowed", "This account is locked. Try again later, or ask an admin.", cancellationToken);
        }

        return new SsoSignInResult(user, null, outcome.RequiresTwoFactor);
    }

    private async Task<SsoSignInResult> RefuseAsync(string? email, string reason, string message, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(AuditEventType.SsoSignInRefused, null, email?[..Math.Min(email.Length, 254)], reason, cancellationToken);
        return new SsoSignInResult(null, message);
    }
}
