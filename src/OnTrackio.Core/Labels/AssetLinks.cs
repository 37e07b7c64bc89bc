using Microsoft.Extensions.Options;
using OnTrackio.Tenancy;

namespace OnTrackio.Labels;

/// <summary>
/// The address a label's QR code carries: the asset's page on the host the request was resolved from (a verified
/// domain of this workspace), as invitation links are built. Nothing a caller sends can name another host.
/// </summary>
public sealed class AssetLinks(WorkspaceContext workspace, IOptions<TenancyOptions> tenancy)
{
    public string PageOf(Guid assetId) => tenancy.Value.LinkTo(workspace.Current.Hostname, $"/assets/{assetId}");
}
