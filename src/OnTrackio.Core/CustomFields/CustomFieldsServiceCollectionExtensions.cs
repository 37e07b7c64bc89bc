using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.CustomFields;

public static class CustomFieldsServiceCollectionExtensions
{
    /// <summary>Custom fields and their sets: one scoped class per use case.</summary>
    public static IServiceCollection AddCustomFields(this IServiceCollection services)
    {
        services.AddScoped<CustomFieldQueries>();
        services.AddScoped<CreateCustomField>();
        services.AddScoped<UpdateCustomField>();
        services.AddScoped<DeleteCustomField>();
        services.AddScoped<CreateCustomFieldSet>();
        services.AddScoped<UpdateCustomFieldSet>();
        services.AddScoped<DeleteCustomFieldSet>();
        return services;
    }
}
