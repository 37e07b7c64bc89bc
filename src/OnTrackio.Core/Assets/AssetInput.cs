using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.CustomFields;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Assets;

/// <summary>
/// What a person types for an asset, in the API and in the form alike. Dates are text (yyyy-mm-dd) so that a wrong one
/// gets a message naming the field, not a serializer's error.
/// </summary>
public sealed class AssetInput
{
    public const int MaxTagLength = 32;
    public const int MaxNotesLength = 4000;

    /// <summary>Blank on create: the next number of the workspace's tag sequence.</summary>
    public string? Tag { get; set; }

    public string? Serial { get; set; }

    public string? Name { get; set; }

    public Guid? ModelId { get; set; }

    public Guid? StatusLabelId { get; set; }

    public Guid? LocationId { get; set; }

    public Guid? SupplierId { get; set; }

    public string? PurchaseDate { get; set; }

    public decimal? Cost { get; set; }

    public string? Currency { get; set; }

    public string? OrderNumber { get; set; }

    public string? WarrantyEnd { get; set; }

    public string? Notes { get; set; }

    /// <summary>
    /// Custom values by field id, for the fields of the set that applies to the model (the model's set, else its
    /// category's). Sent, it replaces them: a field of the set left out is cleared. Not sent (null), an update keeps
    /// the stored values. JSON numbers and booleans are read as their text.
    /// </summary>
    [JsonConverter(typeof(CustomValuesJsonConverter))]
    public Dictionary<Guid, string?>? CustomFields { get; set; }

    /// <summary>
    /// Checks every field, every reference and every custom value, then copies the values onto <paramref name="asset"/>
    /// and returns the custom values it will hold (from <paramref name="storedCustom"/>, its current ones, and what was
    /// sent), or refuses with all the reasons at once.
    /// </summary>
    internal async Task<Dictionary<Guid, string>> ApplyToAsync(
        Asset asset, WorkspaceDbContext db, bool tagRequired, IReadOnlyDictionary<Guid, string> storedCustom, CancellationToken cancellationToken)
    {
        var check = new InputCheck();
        var tag = check.Text(Tag, "Asset tag", MaxTagLength, tagRequired);
        var serial = check.Text(Serial, "Serial", 100);
        var name = check.Text(Name, "Name", 200);
        var purchased = check.Date(PurchaseDate, "Purchase date");
        var warranty = check.Date(WarrantyEnd, "Warranty end");
        var (cost, currency) = check.Money(Cost, Currency, "Cost");
        var order = check.Text(OrderNumber, "Order number", 100);
        var notes = check.Text(Notes, "Notes", MaxNotesLength);
        var custom = new Dictionary<Guid, string>(storedCustom);
        if (ModelId is null)
        {
            check.Fail("Model is required.");
        }
        else if (!await db.Set<AssetModel>().AnyAsync(m => m.Id == ModelId, cancellationToken))
        {
            check.Fail("This workspace has no model with that id.");
        }
        else
        {
            custom = await AssetCustomValues.ResolveAsync(db, ModelId.Value, CustomFields, storedCustom, check, cancellationToken);
        }

        if (StatusLabelId is null)
        {
            check.Fail("Status is required.");
        }
        else if (!await db.Set<StatusLabel>().AnyAsync(s => s.Id == StatusLabelId, cancellationToken))
        {
            check.Fail("This workspace has no status label with that id.");
        }

        if (LocationId is not null && !await db.Set<Location>().AnyAsync(l => l.Id == LocationId, cancellationToken))
        {
            check.Fail("This workspace has no location with that id.");
        }

        if (SupplierId is not null && !await db.Set<Supplier>().AnyAsync(s => s.Id == SupplierId, cancellationToken))
        {
            check.Fail("This workspace has no supplier with that id.");
        }

        if (tag is not null && tag.Any(char.IsControl))
        {
            check.Fail("Asset tag contains control characters.");
        }

        check.ThrowIfInvalid();
        if (tag is not null && tag != asset.Tag && await db.Set<Asset>().AnyAsync(a => a.Tag == tag, cancellationToken))
        {
            throw new ConflictException($"Asset tag '{tag}' is already used by another asset (deleted assets keep their tags).");
        }

        asset.Tag = tag ?? asset.Tag;
        asset.Serial = serial;
        asset.Name = name;
        asset.ModelId = ModelId!.Value;
        asset.StatusLabelId = StatusLabelId!.Value;
        asset.LocationId = LocationId;
        asset.SupplierId = SupplierId;
        asset.PurchaseDate = purchased;
        asset.Cost = cost;
        asset.Currency = currency;
        asset.OrderNumber = order;
        asset.WarrantyEnd = warranty;
        asset.Notes = notes;
        return custom;
    }

    /// <summary>The form's starting values for an existing asset.</summary>
    public static AssetInput From(AssetView asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        return new AssetInput
        {
            Tag = asset.Tag,
            Serial = asset.Serial,
            Name = asset.Name,
            ModelId = asset.ModelId,
            StatusLabelId = asset.StatusLabelId,
            LocationId = asset.LocationId,
            SupplierId = asset.SupplierId,
            PurchaseDate = asset.PurchaseDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Cost = asset.Cost,
            Currency = asset.Currency,
            OrderNumber = asset.OrderNumber,
            WarrantyEnd = asset.WarrantyEnd?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Notes = asset.Notes,
            CustomFields = asset.CustomFields.ToDictionary(c => c.FieldId, c => (string?)c.Value),
        };
    }
}
