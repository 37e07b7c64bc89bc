using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnTrackio.Email;
using OnTrackio.Storage;

namespace OnTrackio.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>Documents and branding; needs the object stores (<c>AddObjectStorage</c>) and email registered first.</summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateDataAnnotations()
            .Validate<IOptions<StorageOptions>>(
                (documents, storage) => documents.MaxFileBytes <= storage.Value.MaxObjectBytes,
                "OnTrackio:Documents:MaxFileBytes may not exceed OnTrackio:Storage:MaxObjectBytes, the largest object the store takes.")
            .ValidateOnStart();
        services.AddScoped<DocumentQueries>();
        services.AddScoped<UploadDocument>();
        services.AddScoped<CreateUploadUrl>();
        services.AddScoped<CompleteUpload>();
        services.AddScoped<SweepPendingUploads>();
        services.AddScoped<MintDownloadUrl>();
        services.AddScoped<DeleteDocument>();
        services.AddScoped<RestoreDocument>();
        services.AddScoped<RestoreDocumentVersion>();
        services.AddScoped<PurgeDocument>();
        services.AddScoped<BrandingQueries>();
        services.AddScoped<ChangeAccentColour>();
        services.AddScoped<SetLogo>();

        // Every email a workspace request sends carries the workspace's branding: the sender chosen by AddEmail is wrapped.
        var sender = services.LastOrDefault(d => d.ServiceType == typeof(IEmailSender) && d.ImplementationFactory is not null)
            ?? throw new InvalidOperationException("Register email (AddEmail) before documents.");
        services.Remove(sender);
        services.AddSingleton<IEmailSender>(sp => new BrandedEmailSender(
            (IEmailSender)sender.ImplementationFactory!(sp), sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>()));
        return services;
    }
}
