using Microsoft.Extensions.DependencyInjection;

namespace OnTrackio.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhooks: the endpoints' operations, the sender and the delivery job of this host.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDeliveryService>();
        services.AddScoped<DeliverWebhooks>();
        services.AddScoped<DisableWebhookEndpoint>();
        services.AddScoped<WebhookQueries>();
        services.AddScoped<CreateWebhook>();
        services.AddScoped<UpdateWebhook>();
        services.AddScoped<DeleteWebhook>();
        services.AddScoped<RotateWebhookSecret>();
        services.AddScoped<RedeliverWebhook>();
        return services;
    }
}
