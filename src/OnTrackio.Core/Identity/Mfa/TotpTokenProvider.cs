using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Identity's authenticator provider, replaced: Identity's own keeps the key in user_tokens in plaintext and accepts a
/// code again within its window. This one reads the encrypted, confirmed authenticator and spends each step once, so
/// <see cref="SignInManager{TUser}.TwoFactorAuthenticatorSignInAsync"/> inherits replay refusal.
/// </summary>
internal sealed class TotpTokenProvider(WorkspaceDbContext db, VerifyTotpCode verify, IHttpContextAccessor http)
    : IUserTwoFactorTokenProvider<WorkspaceUser>
{
    /// <summary>True only once enrolment is confirmed: a pending secret must never be enough to sign in.</summary>
    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<WorkspaceUser> manager, WorkspaceUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return db.Set<TotpAuthenticator>().AnyAsync(a => a.UserId == user.Id && a.ConfirmedAt != null, Aborted);
    }

    /// <summary>Codes come from the person's app; the server never produces one to send.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<WorkspaceUser> manager, WorkspaceUser user) =>
        throw new NotSupportedException("Authenticator codes are produced by the user's app, never sent by the server.");

    public Task<bool> ValidateAsync(string purpose, string token, UserManager<WorkspaceUser> manager, WorkspaceUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return verify.ExecuteAsync(user.Id, token, Aborted);
    }

    private CancellationToken Aborted => http.HttpContext?.RequestAborted ?? CancellationToken.None;
}
