using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OnTrackio.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The object stores per region (<see cref="ObjectStores"/>) and the web host's signed URLs, from <c>OnTrackio:Storage</c>.</summary>
    public static IServiceCollection AddObjectStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidation>();
        services.AddSingleton<SignedObjectUrls>();
        services.AddSingleton<ObjectStores>();
        return services;
    }
}
