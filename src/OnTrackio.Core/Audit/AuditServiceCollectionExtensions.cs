using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>Operator operations on every workspace's chain, for the CLI and the web host alike.</summary>
    public static IServiceCollection AddAuditChain(this IServiceCollection services)
    {
        services.AddScoped<VerifyAuditChain>();
        services.AddScoped<PurgeAuditLog>();
        return services;
    }

    /// <summary>The web host's side: the viewer, the retention setting and the daily purge.</summary>
    public static IServiceCollection AddAuditLog(this IServiceCollection services)
    {
        services.AddScoped<ChangeAuditRetention>();
        services.AddScoped<SearchAuditLog>();
        services.AddHostedService<AuditPurgeService>();
        return services;
    }
}
