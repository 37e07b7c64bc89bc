using Microsoft.Extensions.Primitives;

namespace OnTrackio.Assets;

/// <summary>
/// The filters and order of the asset list, shared by <c>GET /api/v1/assets</c>, its CSV export and the /assets page,
/// so the three always agree on what "these assets" means.
/// </summary>
public sealed class AssetFilter
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int MaxWindowDays = 3650;

    /// <summary>The query-string prefix of a custom-field filter: <c>cf.&lt;field id&gt;=value</c>.</summary>
    public const string CustomFieldPrefix = "cf.";

    /// <summary>Matches the start of the tag or the serial, or any part of the name (case-insensitive).</summary>
    public string? Q { get; set; }

    public Guid? Status { get; set; }

    public Guid? Category { get; set; }

    /// <summary>Assets at this location or at any location inside it.</summary>
    public Guid? Location { get; set; }

    public Guid? Person { get; set; }

    /// <summary>Lists the deleted assets (to restore one) instead of the live ones.</summary>
    public bool? Deleted { get; set; }

    /// <summary>Only assets held by someone who has left or leaves within <see cref="People.Leavers.NoticeDays"/> days (false: no filter).</summary>
    public bool? HolderLeaving { get; set; }

    /// <summary>Assets whose warranty ends between today and today plus this many days.</summary>
    public int? WarrantyWithinDays { get; set; }

    /// <summary>True: assets whose warranty ended before today. False or absent: no filter.</summary>
    public bool? WarrantyExpired { get; set; }

    /// <summary>Assets whose end of life (purchase date plus the model's months) falls between today and today plus this many days.</summary>
    public int? EndOfLifeWithinDays { get; set; }

    /// <summary>True: assets whose end of life is before today. False or absent: no filter.</summary>
    public bool? EndOfLifePassed { get; set; }

    /// <summary>tag (the default), name, warrantyEnd, purchaseDate or updatedAt; empty values sort last either way.</summary>
    public string? Sort { get; set; }

    /// <summary>asc (the default) or desc.</summary>
    public string? Dir { get; set; }

    /// <summary>Opaque: the <see cref="AssetPage.NextCursor"/> of the previous page, valid only with the same sort.</summary>
    public string? Cursor { get; set; }

    public int? Limit { get; set; }

    /// <summary>
    /// Custom-field filters by what follows <c>cf.</c> (a field id) in the query string; each value is read with its
    /// field's type, so "Yes" finds what was stored as true. Filled by <see cref="ReadCustomFields"/>, since a query
    /// string's keys are not known in advance.
    /// </summary>
    public IDictionary<string, string> CustomFields { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes every <c>cf.&lt;field id&gt;</c> parameter of <paramref name="query"/> that has a value.</summary>
    public AssetFilter ReadCustomFields(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (key, values) in query)
        {
            if (key.StartsWith(CustomFieldPrefix, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(values.ToString()))
            {
                CustomFields[key[CustomFieldPrefix.Length..]] = values.ToString();
            }
        }

        return this;
    }
}
