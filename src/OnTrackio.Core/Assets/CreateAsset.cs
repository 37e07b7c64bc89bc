using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>Adds an asset, numbering its tag from the workspace's sequence when none is given.</summary>
public sealed class CreateAsset(WorkspaceDbContext db, AssetRecord record, AssetQueries queries, TimeProvider time)
{
    public async Task<AssetView> ExecuteAsync(AssetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var now = time.GetUtcNow();
        var asset = new Asset { Tag = string.Empty, CreatedAt = now, UpdatedAt = now };
        var custom = await input.ApplyToAsync(asset, db, tagRequired: false, new Dictionary<Guid, string>(), cancellationToken);
        var names = custom.Count == 0 ? [] : await AssetCustomValues.NamesAsync(db, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (asset.Tag.Length == 0)
        {
            asset.Tag = await NextTagAsync(cancellationToken);
        }

        db.Add(asset);
        AssetCustomValues.Write(db, asset.Id, [], custom);
        record.Changed(asset, AuditEventType.AssetCreated, "created", before: null, detail: "created", customAfter: AssetCustomValues.ByName(custom, names));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            // Two requests chose the same tag at once; the unique index let one through.
            throw new ConflictException($"Asset tag '{asset.Tag}' is already used by another asset.");
        }

        await transaction.CommitAsync(cancellationToken);
        return await queries.GetAsync(asset.Id, cancellationToken);
    }

    /// <summary>
    /// Takes the next number with an UPDATE inside this transaction: on PostgreSQL the row stays locked until commit, so
    /// concurrent creators queue instead of taking the same number; SQLite has one writer anyway. Numbers already used
    /// by hand-typed tags are skipped.
    /// </summary>
    private async Task<string> NextTagAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await db.Set<AssetTagSequence>()
                .Where(s => s.Id == AssetTagSequence.SingletonId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.NextNumber, x => x.NextNumber + 1), cancellationToken);
            var sequence = await db.Set<AssetTagSequence>().AsNoTracking().SingleAsync(s => s.Id == AssetTagSequence.SingletonId, cancellationToken);
            var tag = sequence.Prefix + (sequence.NextNumber - 1).ToString(CultureInfo.InvariantCulture).PadLeft(sequence.Digits, '0');
            if (!await TagTakenAsync(tag, cancellationToken))
            {
                return tag;
            }
        }
    }

    private Task<bool> TagTakenAsync(string tag, CancellationToken cancellationToken) =>
        db.Set<Asset>().AnyAsync(a => a.Tag == tag, cancellationToken);
}
