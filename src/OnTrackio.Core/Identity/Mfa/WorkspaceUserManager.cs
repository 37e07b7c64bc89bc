using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OnTrackio.Identity.Mfa;

/// <summary>
/// Identity's user manager with longer recovery codes: Identity's are 8 characters of 5 bits each (40 bits) and its
/// recovery-code sign-in has no lockout, so the codes themselves must be unguessable (<see cref="RecoveryCodes.New"/>).
/// </summary>
public sealed class WorkspaceUserManager(
    IUserStore<WorkspaceUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<WorkspaceUser> passwordHasher,
    IEnumerable<IUserValidator<WorkspaceUser>> userValidators,
    IEnumerable<IPasswordValidator<WorkspaceUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<WorkspaceUser>> logger)
    : UserManager<WorkspaceUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    protected override string CreateTwoFactorRecoveryCode() => RecoveryCodes.New();
}
