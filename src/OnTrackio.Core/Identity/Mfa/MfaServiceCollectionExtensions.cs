using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OnTrackio.Identity.Mfa;

public static class MfaServiceCollectionExtensions
{
    /// <summary>
    /// Second factors on top of Identity: the authenticator provider that refuses replays, recovery codes stored hashed
    /// and long enough, the enrolment operations and the policy check. Call after <c>AddDefaultTokenProviders</c>, whose
    /// authenticator provider this replaces.
    /// </summary>
    public static IdentityBuilder AddWorkspaceMfa(this IdentityBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddUserManager<WorkspaceUserManager>();
        builder.AddTokenProvider<TotpTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        builder.Services.Replace(ServiceDescriptor.Scoped<IUserStore<WorkspaceUser>, WorkspaceUserStore>());

        builder.Services.AddSingleton<MfaEnforcementCache>();
        builder.Services.AddScoped<MfaEnforcement>();
        builder.Services.AddScoped<SecondFactors>();
        builder.Services.AddScoped<VerifyTotpCode>();
        builder.Services.AddScoped<EnrolTotp>();
        builder.Services.AddScoped<ConfirmTotp>();
        builder.Services.AddScoped<RemoveTotp>();
        builder.Services.AddScoped<RegenerateRecoveryCodes>();
        builder.Services.AddScoped<ChangeMfaPolicy>();
        return builder;
    }
}
