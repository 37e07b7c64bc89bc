using System.Globalization;
using System.Text;

namespace OnTrackio.Assets;

/// <summary>
/// Writes a filtered asset list as formula-safe CSV, one row at a time as the database returns them, so an export of
/// the whole register never sits in memory.
/// </summary>
public static class AssetCsv
{
    public const string Header =
        "tag,serial,name,model,category,status,location,purchase_date,cost,currency,order_number,warranty_end,end_of_life,assigned_to_type,assigned_to,checked_out_at_utc,expected_check_in,notes";

    public static async Task<int> WriteAsync(TextWriter writer, IAsyncEnumerable<AssetView> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(assets);
        await writer.WriteAsync(Header + "\r\n");
        var line = new StringBuilder();
        var count = 0;
        await foreach (var a in assets.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(
                Csv.Row(
                    line,
                    a.Tag, a.Serial, a.Name, a.ModelName, a.CategoryName, a.StatusName, a.LocationName, Date(a.PurchaseDate),
                    a.Cost?.ToString(CultureInfo.InvariantCulture), a.Currency, a.OrderNumber, Date(a.WarrantyEnd), Date(a.EndOfLife),
                    a.AssignedTo?.Type, a.AssignedTo?.Name, a.CheckedOutAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    Date(a.ExpectedCheckIn), a.Notes),
                cancellationToken);
            count++;
        }

        return count;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
