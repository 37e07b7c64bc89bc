using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Labels;

/// <summary>
/// The labels of a filtered asset list or of chosen assets, in tag order, each with the QR code of the asset's page on
/// this workspace's host. A sheet holds at most <see cref="MaxLabels"/>: a bigger list is refused with a message
/// rather than built half-way.
/// </summary>
public sealed class PrintAssetLabels(WorkspaceDbContext db, AssetQueries queries, AssetLinks links)
{
    public const int MaxLabels = 1000;

    public const int PixelsPerModule = 10;

    /// <summary>The labels of every asset the filter matches, as the exports read it (every row, not one page).</summary>
    public async Task<IReadOnlyList<AssetLabel>> ForFilterAsync(AssetFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var labels = new List<AssetLabel>();
        await foreach (var asset in queries.StreamAsync(filter, cancellationToken))
        {
            if (labels.Count == MaxLabels)
            {
                throw TooMany();
            }

            labels.Add(new AssetLabel(asset.Tag, asset.Name, links.PageOf(asset.Id)));
        }

        return labels;
    }

    /// <summary>The labels of the assets named by id; an id this workspace does not hold is refused (404), not skipped.</summary>
    public async Task<IReadOnlyList<AssetLabel>> ForAssetsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = ids.Distinct().ToList();
        if (distinct.Count > MaxLabels)
        {
            throw TooMany();
        }

        var found = await db.Set<Asset>().AsNoTracking().Where(a => distinct.Contains(a.Id)).OrderBy(a => a.Tag)
            .Select(a => new { a.Id, a.Tag, a.Name }).ToListAsync(cancellationToken);
        if (found.Count != distinct.Count)
        {
            throw new NotFoundException("This workspace has no asset with one of those ids.");
        }

        return [.. found.Select(a => new AssetLabel(a.Tag, a.Name, links.PageOf(a.Id)))];
    }

    /// <summary>The QR code of one asset's page as a PNG; 404 for an id this workspace does not hold.</summary>
    public async Task<byte[]> PngAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Set<Asset>().AnyAsync(a => a.Id == id, cancellationToken))
        {
            throw new NotFoundException("This workspace has no asset with that id.");
        }

        return QrCodes.Png(links.PageOf(id), PixelsPerModule);
    }

    private static OperationRefusedException TooMany() => new(string.Create(
        CultureInfo.InvariantCulture,
        $"A label sheet holds at most {MaxLabels:N0} labels and this list has more. Narrow the filters (status, category, location) and print it in parts."));
}
