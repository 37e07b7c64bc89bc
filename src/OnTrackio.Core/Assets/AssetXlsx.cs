using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace OnTrackio.Assets;

/// <summary>
/// Writes a filtered asset list as an XLSX workbook, streamed row by row (SpreadCheetah writes the zip as it goes), so
/// an export of the whole register never sits in memory. Same columns as <see cref="AssetCsv"/> (<see cref="AssetColumns"/>),
/// but typed: dates are dates, cost is a number.
/// </summary>
/// <remarks>
/// Text goes in as string cells, never as formulas: a name typed as "=1+1" is shown as those four characters, so the
/// CSV export's quote-prefixing is neither needed nor wanted here.
/// </remarks>
public static class AssetXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const string SheetName = "Assets";

    /// <summary>The same columns as the CSV export (<see cref="AssetColumns.For"/>), each cell typed.</summary>
    public static async Task<int> WriteAsync(Stream stream, AssetExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(export);
        var output = new DeferredSynchronousWrites(stream);
        var count = await WriteSheetAsync(output, export.Rows, AssetColumns.For(export.CustomColumns), cancellationToken);
        await output.FlushAsync(cancellationToken);
        return count;
    }

    private static async Task<int> WriteSheetAsync(
        Stream stream, IAsyncEnumerable<AssetView> assets, IReadOnlyList<AssetColumn> columns, CancellationToken cancellationToken)
    {
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken);
        var sheet = new WorksheetOptions { FrozenRows = 1 };
        for (var i = 0; i < columns.Count; i++)
        {
            sheet.Column(i + 1).Width = columns[i].Type switch
            {
                AssetColumnType.Date => 12,
                AssetColumnType.Instant => 20,
                AssetColumnType.Number => 12,
                _ => 18,
            };
        }

        await spreadsheet.StartWorksheetAsync(SheetName, sheet, cancellationToken);
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
        var instant = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd hh:mm:ss") });
        await spreadsheet.AddHeaderRowAsync([.. columns.Select(c => c.Name)], header, cancellationToken);

        var row = new Cell[columns.Count];
        var count = 0;
        await foreach (var asset in assets.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = columns[i].ValueOf(asset) switch
                {
                    null => new Cell((string?)null),
                    string text => new Cell(text),
                    decimal number => new Cell(number),
                    DateOnly day => new Cell(day.ToDateTime(TimeOnly.MinValue), date),
                    DateTimeOffset moment => new Cell(moment.UtcDateTime, instant),
                    var other => new Cell(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)),
                };
            }

            await spreadsheet.AddRowAsync(row, cancellationToken);
            count++;
        }

        await spreadsheet.FinishAsync(cancellationToken);
        return count;
    }

    /// <summary>
    /// Passes asynchronous writes straight through, and holds the few synchronous ones the zip writer makes (an entry's
    /// data descriptor, the central directory at the end) until the next asynchronous write or flush: an HTTP response
    /// body refuses synchronous IO, and blocking a thread on the network for them is what it guards against. What is
    /// held is a few kilobytes at most; the rows themselves arrive asynchronously.
    /// </summary>
    private sealed class DeferredSynchronousWrites(Stream inner) : Stream
    {
        private readonly MemoryStream _held = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => _held.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _held.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await ReleaseAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        /// <summary>Nothing is sent synchronously; what is held goes out with the next asynchronous call.</summary>
        public override void Flush()
        {
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await ReleaseAsync(cancellationToken);
            await inner.FlushAsync(cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _held.Dispose();
            }

            base.Dispose(disposing);
        }

        private async ValueTask ReleaseAsync(CancellationToken cancellationToken)
        {
            if (_held.Length > 0)
            {
                await inner.WriteAsync(_held.GetBuffer().AsMemory(0, (int)_held.Length), cancellationToken);
                _held.SetLength(0);
            }
        }
    }
}
