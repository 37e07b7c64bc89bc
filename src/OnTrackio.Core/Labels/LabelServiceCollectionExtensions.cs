using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Labels;

public static class LabelServiceCollectionExtensions
{
    /// <summary>Asset labels: QR codes pointing at this workspace's host, as PNGs and PDF sheets.</summary>
    public static IServiceCollection AddAssetLabels(this IServiceCollection services)
    {
        services.AddScoped<AssetLinks>();
        services.AddScoped<PrintAssetLabels>();
        return services;
    }
}
