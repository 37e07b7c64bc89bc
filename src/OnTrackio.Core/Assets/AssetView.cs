using OnTrackio.CustomFields;
using OnTrackio.Register;

namespace OnTrackio.Assets;

/// <summary>
/// Who or what holds a checked-out asset. For a person, their leave date, and <c>Leaving</c> when they have
/// left or leave within <see cref="People.Leavers.NoticeDays"/> days (computed at read time).
/// </summary>
public sealed record Assignee(string Type, Guid Id, string Name, DateOnly? LeaveDate = null, bool Leaving = false);

/// <summary>One custom value of an asset, in its canonical text (numbers invariant, dates yyyy-mm-dd, booleans true/false).</summary>
public sealed record AssetCustomValue(Guid FieldId, string Name, CustomFieldType Type, string Value);

/// <summary>An asset as the API and the pages show it, with the names of what it refers to.</summary>
public sealed record AssetView(
    Guid Id,
    string Tag,
    string? Serial,
    string? Name,
    Guid ModelId,
    string ModelName,
    Guid CategoryId,
    string CategoryName,
    Guid StatusLabelId,
    string StatusName,
    StatusKind StatusKind,
    Guid? LocationId,
    string? LocationName,
    Guid? SupplierId,
    DateOnly? PurchaseDate,
    decimal? Cost,
    string? Currency,
    string? OrderNumber,
    DateOnly? WarrantyEnd,
    DateOnly? EndOfLife,
    string? Notes,
    Assignee? AssignedTo,
    DateTimeOffset? CheckedOutAt,
    DateOnly? ExpectedCheckIn,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    long Version)
{
    /// <summary>
    /// The custom values the asset holds, in the order of its model's set (values of fields outside the set last, by
    /// name). Loaded for a whole page of assets by one query.
    /// </summary>
    public IReadOnlyList<AssetCustomValue> CustomFields { get; init; } = [];

    /// <summary>"Deployed" is derived, never stored: a deployable asset that is checked out.</summary>
    public bool Deployed => StatusKind == StatusKind.Deployable && AssignedTo is not null;

    /// <summary>The ETag of this version (a strong validator: any change bumps the version).</summary>
    public string ETag => AssetETag.Of(Version);
}

/// <summary>The asset's version as an HTTP entity tag, and back.</summary>
public static class AssetETag
{
    public static string Of(long version) => $"\"{version}\"";

    /// <summary>The version an If-Match header names, or null when it names none this API issued.</summary>
    public static long? Parse(string? ifMatch)
    {
        var value = ifMatch?.Trim();
        if (value is null || value.Length < 3 || value[0] != '"' || value[^1] != '"')
        {
            return null;
        }

        return long.TryParse(value[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }
}

public sealed record AssetHistoryView(long Id, DateTimeOffset OccurredAt, string Action, string? Detail, string? ActorLabel);

public sealed record AssetPage(IReadOnlyList<AssetView> Items, string? NextCursor);
