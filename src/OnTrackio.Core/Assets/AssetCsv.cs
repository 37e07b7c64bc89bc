using System.Globalization;
using System.Text;

namespace OnTrackio.Assets;

/// <summary>
/// Writes a filtered asset list as formula-safe CSV, a row at a time as the database returns them, so an export of
/// the whole register never sits in memory.
/// </summary>
public static class AssetCsv
{
    /// <summary>The fixed columns; a column per custom field in use follows, headed <c>custom.&lt;field name&gt;</c>.</summary>
    public const string Header =
        "tag,serial,name,model,category,status,location,purchase_date,cost,currency,order_number,warranty_end,end_of_life,assigned_to_type,assigned_to,checked_out_at_utc,expected_check_in,notes";

    private const int FixedColumns = 18;

    public static async Task<int> WriteAsync(TextWriter writer, AssetExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(export);
        var custom = export.CustomColumns;
        var line = new StringBuilder();

        // Prefixed, so a field named like a fixed column ("notes") cannot be mistaken for it, as in the audit log.
        string?[] header = [.. Header.Split(','), .. custom.Select(c => AssetRecord.CustomFieldPrefix + c.Name)];
        await writer.WriteAsync(Csv.Row(line, header), cancellationToken);
        var cells = new string?[FixedColumns + custom.Count];
        var count = 0;
        await foreach (var a in export.Rows.WithCancellation(cancellationToken))
        {
            string?[] fixedCells =
            [
                a.Tag, a.Serial, a.Name, a.ModelName, a.CategoryName, a.StatusName, a.LocationName, Date(a.PurchaseDate),
                a.Cost?.ToString(CultureInfo.InvariantCulture), a.Currency, a.OrderNumber, Date(a.WarrantyEnd), Date(a.EndOfLife),
                a.AssignedTo?.Type, a.AssignedTo?.Name, a.CheckedOutAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                Date(a.ExpectedCheckIn), a.Notes,
            ];
            fixedCells.CopyTo(cells, 0);
            for (var i = 0; i < custom.Count; i++)
            {
                cells[FixedColumns + i] = a.CustomFields.FirstOrDefault(v => v.FieldId == custom[i].FieldId)?.Value;
            }

            await writer.WriteAsync(Csv.Row(line, cells), cancellationToken);
            count++;
        }

        return count;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
