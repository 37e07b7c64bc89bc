namespace OnTrackio.Assets;

/// <summary>What a column holds, so each export writes it in its own way: CSV as text, XLSX as a typed cell.</summary>
public enum AssetColumnType
{
    Text,
    Number,
    Date,

    /// <summary>A point in time, written in UTC.</summary>
    Instant,
}

/// <summary>
/// One column of an asset export: its header and how to read its value from an asset. The value is a
/// <see cref="string"/>, <see cref="decimal"/>, <see cref="DateOnly"/> or <see cref="DateTimeOffset"/> (by
/// <see cref="Type"/>), or null for an empty cell. Build one with the typed factories, which keep the two in step.
/// </summary>
public sealed class AssetColumn
{
    private readonly Func<AssetView, object?> _value;

    private AssetColumn(string name, AssetColumnType type, Func<AssetView, object?> value)
    {
        Name = name;
        Type = type;
        _value = value;
    }

    public string Name { get; }

    public AssetColumnType Type { get; }

    public static AssetColumn Text(string name, Func<AssetView, string?> value) => new(name, AssetColumnType.Text, value);

    public static AssetColumn Number(string name, Func<AssetView, decimal?> value) => new(name, AssetColumnType.Number, a => value(a));

    public static AssetColumn Date(string name, Func<AssetView, DateOnly?> value) => new(name, AssetColumnType.Date, a => value(a));

    public static AssetColumn Instant(string name, Func<AssetView, DateTimeOffset?> value) => new(name, AssetColumnType.Instant, a => value(a));

    public object? ValueOf(AssetView asset) => _value(asset);
}

/// <summary>
/// The columns of every asset export (CSV and XLSX write the same list, in this order). Add a column here and both
/// exports carry it; a caller may also pass its own list (the standard columns plus a workspace's custom fields).
/// </summary>
public static class AssetColumns
{
    public static IReadOnlyList<AssetColumn> Standard { get; } =
    [
        AssetColumn.Text("tag", a => a.Tag),
        AssetColumn.Text("serial", a => a.Serial),
        AssetColumn.Text("name", a => a.Name),
        AssetColumn.Text("model", a => a.ModelName),
        AssetColumn.Text("category", a => a.CategoryName),
        AssetColumn.Text("status", a => a.StatusName),
        AssetColumn.Text("location", a => a.LocationName),
        AssetColumn.Date("purchase_date", a => a.PurchaseDate),
        AssetColumn.Number("cost", a => a.Cost),
        AssetColumn.Text("currency", a => a.Currency),
        AssetColumn.Text("order_number", a => a.OrderNumber),
        AssetColumn.Date("warranty_end", a => a.WarrantyEnd),
        AssetColumn.Date("end_of_life", a => a.EndOfLife),
        AssetColumn.Text("assigned_to_type", a => a.AssignedTo?.Type),
        AssetColumn.Text("assigned_to", a => a.AssignedTo?.Name),
        AssetColumn.Instant("checked_out_at_utc", a => a.CheckedOutAt),
        AssetColumn.Date("expected_check_in", a => a.ExpectedCheckIn),
        AssetColumn.Text("notes", a => a.Notes),
    ];

    /// <summary>
    /// The standard columns, then one per custom field in use. Prefixed <c>custom.</c>, as in the audit log, so a field
    /// named like a standard column ("notes") cannot be mistaken for it.
    /// </summary>
    public static IReadOnlyList<AssetColumn> For(IReadOnlyList<CustomFieldColumn> custom)
    {
        ArgumentNullException.ThrowIfNull(custom);
        return [.. Standard, .. custom.Select(c => AssetColumn.Text(
            AssetRecord.CustomFieldPrefix + c.Name, a => a.CustomFields.FirstOrDefault(v => v.FieldId == c.FieldId)?.Value))];
    }
}
