using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OnTrackio.Email;

public static class EmailServiceCollectionExtensions
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<PickupFolderEmailSender>();
        services.AddSingleton<IEmailSender>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<EmailOptions>>().Value.SmtpHost)
            ? sp.GetRequiredService<PickupFolderEmailSender>()
            : sp.GetRequiredService<SmtpEmailSender>());
        return services;
    }
}
