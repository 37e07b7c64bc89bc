using System.Globalization;
using Microsoft.AspNetCore.Http;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>
/// Writes what happened to an asset into its timeline and the audit log, in the caller's unit of work, so both commit
/// or roll back with the change itself.
/// </summary>
public sealed class AssetRecord(WorkspaceDbContext db, AuditTrail audit, IHttpContextAccessor http, TimeProvider time)
{
    public const string EntityType = "asset";

    /// <summary>The prefix of a custom field's name in audit entries and snapshots ("custom.RAM (GB)").</summary>
    public const string CustomFieldPrefix = "custom.";

    /// <summary>
    /// The audited fields of an asset as text, to compare before and after; <paramref name="custom"/> adds its custom
    /// values, by field name, as <c>custom.&lt;name&gt;</c>.
    /// </summary>
    public static Dictionary<string, string?> Snapshot(Asset asset, IReadOnlyDictionary<string, string?>? custom = null)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var snapshot = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["tag"] = asset.Tag,
            ["serial"] = asset.Serial,
            ["name"] = asset.Name,
            ["modelId"] = asset.ModelId.ToString(),
            ["statusLabelId"] = asset.StatusLabelId.ToString(),
            ["locationId"] = asset.LocationId?.ToString(),
            ["supplierId"] = asset.SupplierId?.ToString(),
            ["purchaseDate"] = Date(asset.PurchaseDate),
            ["cost"] = asset.Cost?.ToString(CultureInfo.InvariantCulture),
            ["currency"] = asset.Currency,
            ["orderNumber"] = asset.OrderNumber,
            ["warrantyEnd"] = Date(asset.WarrantyEnd),
            ["notes"] = asset.Notes,
            ["assignedPersonId"] = asset.AssignedPersonId?.ToString(),
            ["assignedLocationId"] = asset.AssignedLocationId?.ToString(),
            ["assignedAssetId"] = asset.AssignedAssetId?.ToString(),
            ["expectedCheckIn"] = Date(asset.ExpectedCheckIn),
            ["deletedAt"] = asset.DeletedAt?.ToString("O", CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in custom ?? new Dictionary<string, string?>())
        {
            snapshot[CustomFieldPrefix + name] = value;
        }

        return snapshot;
    }

    public static List<FieldChange> Diff(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        // Every key of either side: a custom value that was cleared is in the "before" snapshot only.
        return [.. after.Keys.Union(before.Keys.Where(key => !after.ContainsKey(key)))
            .Where(key => !string.Equals(before.GetValueOrDefault(key), after.GetValueOrDefault(key), StringComparison.Ordinal))
            .Select(key => new FieldChange(key, before.GetValueOrDefault(key), after.GetValueOrDefault(key)))];
    }

    /// <summary>What <see cref="Diff"/> gives from nothing (every value set), without comparing: an import creates thousands.</summary>
    private static List<FieldChange> Created(Dictionary<string, string?> after)
    {
        var changes = new List<FieldChange>(after.Count);
        foreach (var (field, value) in after)
        {
            if (value is not null)
            {
                changes.Add(new FieldChange(field, null, value));
            }
        }

        return changes;
    }

    /// <summary>
    /// Stamps the change and bumps the version (unless the asset is new: <paramref name="before"/> null), then adds the
    /// timeline line and the audit entry with the field changes. <paramref name="customAfter"/> is the asset's custom
    /// values after the change, by field name, when the caller touched them (see <see cref="Snapshot"/>).
    /// <paramref name="actor"/> names who acted when that is not the signed-in person of the current request (an
    /// import committed in the background).
    /// </summary>
    public void Changed(
        Asset asset, AuditEventType type, string action, IReadOnlyDictionary<string, string?>? before, string? detail = null,
        IReadOnlyDictionary<string, string?>? customAfter = null, AuditActor? actor = null)
    {
        var (history, entry) = Entries(asset, type, action, before, detail, customAfter, actor);
        db.Add(history);
        db.Add(entry);
    }

    /// <summary>
    /// What <see cref="Changed"/> adds, built but not added: for a writer that inserts many rows at once (an import,
    /// by COPY) and must not pay for tracking each one.
    /// </summary>
    internal (AssetHistoryEntry History, AuditEvent Audit) Entries(
        Asset asset, AuditEventType type, string action, IReadOnlyDictionary<string, string?>? before, string? detail = null,
        IReadOnlyDictionary<string, string?>? customAfter = null, AuditActor? actor = null)
    {
        ArgumentNullException.ThrowIfNull(asset);
        var now = time.GetUtcNow();
        asset.UpdatedAt = now;
        if (before is not null)
        {
            asset.Version++;
        }

        var after = Snapshot(asset, customAfter);
        var changes = before is null ? Created(after) : Diff(before, after);
        var history = new AssetHistoryEntry
        {
            AssetId = asset.Id,
            OccurredAt = now,
            Action = action,
            Detail = detail ?? (changes.Count == 0 ? null : Truncate(string.Join(", ", changes.Select(c => c.Field)))),
            ActorLabel = actor is null ? ActorLabel() : actor.Label,
        };
        return (history, audit.ChangeEntry(type, EntityType, asset.Id.ToString(), changes, subject: asset.Tag, actor: actor));
    }

    /// <summary>
    /// A timeline line and an audit entry about an asset that leave the asset itself unchanged (its holder's leave
    /// date, say): the version stays, so nobody's open edit form turns stale over a fact about someone else.
    /// </summary>
    public void Noted(Guid assetId, string tag, AuditEventType type, string action, string detail, IReadOnlyList<FieldChange>? changes = null)
    {
        db.Add(new AssetHistoryEntry
        {
            AssetId = assetId,
            OccurredAt = time.GetUtcNow(),
            Action = action,
            Detail = Truncate(detail),
            ActorLabel = ActorLabel(),
        });
        audit.AddChange(type, EntityType, assetId.ToString(), changes, subject: tag);
    }

    private string? ActorLabel()
    {
        var user = http.HttpContext?.User;
        return user?.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value ?? user?.Identity?.Name;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];
}
