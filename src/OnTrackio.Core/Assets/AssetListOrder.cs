using System.Globalization;
using System.Text;
using System.Text.Json;
using OnTrackio.Register;

namespace OnTrackio.Assets;

/// <summary>What the asset list can be sorted by. Every sort ends with the tag, unique, so the order is total.</summary>
internal enum AssetSortKey
{
    Tag,
    Name,
    WarrantyEnd,
    PurchaseDate,
    UpdatedAt,
}

/// <summary>One order of the asset list: a key and a direction. Assets without a value for the key come last, in tag order.</summary>
internal sealed record AssetListOrder(AssetSortKey Key, bool Descending)
{
    private static readonly Dictionary<string, AssetSortKey> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tag"] = AssetSortKey.Tag,
        ["name"] = AssetSortKey.Name,
        ["warrantyEnd"] = AssetSortKey.WarrantyEnd,
        ["purchaseDate"] = AssetSortKey.PurchaseDate,
        ["updatedAt"] = AssetSortKey.UpdatedAt,
    };

    public string Sort => Names.First(n => n.Value == Key).Key;

    public string Dir => Descending ? "desc" : "asc";

    public static AssetListOrder Parse(string? sort, string? dir, InputCheck check)
    {
        var key = AssetSortKey.Tag;
        if (!string.IsNullOrWhiteSpace(sort) && !Names.TryGetValue(sort.Trim(), out key))
        {
            check.Fail($"Sort '{sort}' is not one of {string.Join(", ", Names.Keys)}.");
        }

        var descending = dir?.Trim().ToUpperInvariant() switch
        {
            null or "" or "ASC" => false,
            "DESC" => true,
            _ => Fail(check, $"Dir '{dir}' is not asc or desc."),
        };
        return new AssetListOrder(key, descending);
    }

    private static bool Fail(InputCheck check, string message)
    {
        check.Fail(message);
        return false;
    }

    /// <summary>The row's sort key as the cursor carries it, or null when the row has none (it is among the last).</summary>
    public string? KeyOf(AssetView row) => Key switch
    {
        AssetSortKey.Name => row.Name,
        AssetSortKey.WarrantyEnd => row.WarrantyEnd?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        AssetSortKey.PurchaseDate => row.PurchaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        AssetSortKey.UpdatedAt => row.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        _ => row.Tag,
    };
}

/// <summary>
/// Where the next page starts: the last row's sort key and tag, with the sort it belongs to, so that a cursor is never
/// read under another order (it would silently skip or repeat rows). Opaque to clients: base64url of a small JSON array.
/// </summary>
internal sealed record AssetCursor(string? Key, string Tag)
{
    public static string Encode(AssetListOrder order, AssetView last)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new[] { order.Sort, order.Dir, order.KeyOf(last), last.Tag });
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static AssetCursor? Decode(string? cursor, AssetListOrder order)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        string?[]? parts;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            parts = JsonSerializer.Deserialize<string?[]>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException or DecoderFallbackException)
        {
            parts = null;
        }

        if (parts is not [{ } sort, { } dir, var key, { } tag])
        {
            throw NotIssued();
        }

        if (!string.Equals(sort, order.Sort, StringComparison.Ordinal) || !string.Equals(dir, order.Dir, StringComparison.Ordinal))
        {
            throw new OperationRefusedException(
                $"The cursor continues a list sorted by {sort} ({dir}), not by {order.Sort} ({order.Dir}); start again from the first page to change the order.");
        }

        return key is null || Readable(order.Key, key) ? new AssetCursor(key, tag) : throw NotIssued();
    }

    private static OperationRefusedException NotIssued() => new("The cursor is not one this list issued; start again from the first page.");

    public DateOnly Date => DateOnly.ParseExact(Key!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public DateTimeOffset Instant => DateTimeOffset.ParseExact(Key!, "O", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    private static bool Readable(AssetSortKey sort, string key) => sort switch
    {
        AssetSortKey.WarrantyEnd or AssetSortKey.PurchaseDate => DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        AssetSortKey.UpdatedAt => DateTimeOffset.TryParseExact(key, "O", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _),
        _ => true,
    };
}
