using Microsoft.Extensions.DependencyInjection;
using OnTrackio.CustomFields;
using OnTrackio.People;
using OnTrackio.Register;

namespace OnTrackio.Assets;

public static class RegisterServiceCollectionExtensions
{
    /// <summary>The asset register: assets, people and reference data, one scoped class per use case.</summary>
    public static IServiceCollection AddAssetRegister(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AssetQueries>();
        services.AddScoped<AssetRecord>();
        services.AddScoped<CreateAsset>();
        services.AddScoped<UpdateAsset>();
        services.AddScoped<DeleteAsset>();
        services.AddScoped<RestoreAsset>();
        services.AddScoped<CheckOutAsset>();
        services.AddScoped<CheckInAsset>();
        services.AddScoped<PeopleQueries>();
        services.AddScoped<CreatePerson>();
        services.AddScoped<UpdatePerson>();
        services.AddScoped<BulkUpdateAssets>();
        services.AddScoped<BulkCheckOutAssets>();
        services.AddScoped<BulkCheckInAssets>();
        services.AddScoped<PatchAsset>();
        services.AddScoped<LeaverQueries>();
        services.AddScoped<ListReferenceItems>();
        services.AddScoped<CreateReferenceItem>();
        services.AddScoped<UpdateReferenceItem>();
        services.AddScoped<DeleteReferenceItem>();
        services.AddCustomFields();
        return services;
    }
}
