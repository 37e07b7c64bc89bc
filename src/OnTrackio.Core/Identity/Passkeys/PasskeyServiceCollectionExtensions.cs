using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OnTrackio.Identity.Passkeys;

public static class PasskeyServiceCollectionExtensions
{
    /// <summary>Passkeys through Identity's sign-in manager, with the relying party taken from the resolved workspace.</summary>
    public static IServiceCollection AddWorkspacePasskeys(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Scoped<IPasskeyHandler<WorkspaceUser>, WorkspacePasskeyHandler>());
        return services;
    }
}
