using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnTrackio.Email;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>
/// Dresses every email a workspace sends during one of its requests in that workspace's branding (name, accent colour,
/// inline logo). Mail sent outside a workspace request (platform jobs) goes as plain text, as before.
/// </summary>
internal sealed class BrandedEmailSender(IEmailSender inner, IHttpContextAccessor http) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var services = http.HttpContext?.RequestServices;
        var workspace = services?.GetService<WorkspaceContext>();
        if (services is null || workspace is not { IsResolved: true } || message.Branding is not null)
        {
            await inner.SendAsync(message, cancellationToken);
            return;
        }

        var branding = await services.GetRequiredService<BrandingQueries>().CurrentAsync(cancellationToken);
        var (logo, type) = await LogoAsync(services, workspace, branding, cancellationToken);
        await inner.SendAsync(message with { Branding = new EmailBranding(workspace.Current.DisplayName, branding.AccentColour, logo, type) }, cancellationToken);
    }

    private static async Task<(ReadOnlyMemory<byte> Logo, string? ContentType)> LogoAsync(
        IServiceProvider services, WorkspaceContext workspace, BrandingView branding, CancellationToken cancellationToken)
    {
        if (branding.LogoDocumentId is not { } id)
        {
            return (default, null);
        }

        var db = services.GetRequiredService<WorkspaceDbContext>();
        var version = db.Set<Document>().Where(d => d.Id == id && d.DeletedAt == null)
            .Join(db.Set<DocumentVersion>(), d => d.CurrentVersionId, v => v.Id, (d, v) => v).FirstOrDefault();
        var limit = services.GetRequiredService<IOptions<DocumentOptions>>().Value.MaxLogoBytes;
        if (version is null || version.Size > limit)
        {
            return (default, null);
        }

        // Small by rule (the logo limit), so it is read whole to travel inline.
        var store = services.GetRequiredService<ObjectStores>().ForRegion(workspace.Current.RegionId);
        await using var content = await store.OpenReadAsync(ObjectKey.For(workspace.Current, version.ObjectName), cancellationToken);
        using var buffer = new MemoryStream((int)version.Size);
        await content.CopyToAsync(buffer, cancellationToken);
        return (buffer.ToArray(), version.ContentType);
    }
}
