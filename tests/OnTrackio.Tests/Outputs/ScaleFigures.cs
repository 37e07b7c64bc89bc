using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Xml;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Outputs;

/// <summary>
/// The outputs over a register of 100,000 assets: the XLSX export holds every row and the dashboard counts them all.
/// The times are printed (targets: export ≤ 20 s, dashboard well under a second), never asserted.
/// </summary>
public sealed class ScaleFigures(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Assets = 100_000;
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("scale");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, "a long enough passphrase");
        var model = (await _owner.CreateModelAsync()).Id;
        var person = (await _owner.CreatePersonAsync("Ada Lovelace", "ada@scale.example")).Id;

        // One statement, as an import would leave them: a third deployed, warranties spread over three years.
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, $"""
            INSERT INTO assets (id, tag, serial, name, model_id, status_label_id, purchase_date, cost, currency, warranty_end,
                                assigned_person_id, checked_out_at, created_at, updated_at, version)
            SELECT gen_random_uuid(), 'S-' || lpad(n::text, 6, '0'), 'SN' || n, 'Laptop ' || n, '{model}',
                   CASE WHEN n % 10 = 0 THEN '{ReferenceDefaults.Pending}'::uuid ELSE '{ReferenceDefaults.ReadyToDeploy}'::uuid END,
                   current_date - (n % 1400), 1299.5, 'EUR', current_date + (n % 1095) - 365,
                   CASE WHEN n % 3 = 0 AND n % 10 <> 0 THEN '{person}'::uuid END,
                   CASE WHEN n % 3 = 0 AND n % 10 <> 0 THEN now() END, now(), now(), 1
            FROM generate_series(1, {Assets}) AS n;
            ANALYZE assets;
            """);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task At100000Assets_TheExportHoldsEveryRow_AndTheDashboardCountsThemAll()
    {
        var export = Stopwatch.StartNew();
        using var response = await _owner.GetAsync("/api/v1/assets/export.xlsx");
        var workbook = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        export.Stop();
        var first = Stopwatch.StartNew();
        await (await _owner.GetAsync("/")).TextAsync();
        first.Stop();
        var dashboard = Stopwatch.StartNew();
        var home = await (await _owner.GetAsync("/")).TextAsync();
        dashboard.Stop();
        output.WriteLine($"XLSX export of {Assets:N0} assets over HTTP: {export.Elapsed.TotalSeconds:0.0} s, {workbook.Length / 1024.0 / 1024:0.0} MiB (target ≤ 20 s)");
        output.WriteLine($"Dashboard at {Assets:N0} assets: {dashboard.Elapsed.TotalMilliseconds:0} ms for the whole page ({first.Elapsed.TotalMilliseconds:0} ms the first time, queries compiled)");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Assets + 1, RowsOf(workbook));
        var total = System.Text.RegularExpressions.Regex.Match(home, "data-count=\"total\">\\s*<span class=\"figure\">\\s*<a href=\"/assets\">([^<]+)</a>");
        Assert.Equal("100000", new string([.. total.Groups[1].Value.Where(char.IsAsciiDigit)]));
    }

    [Fact]
    public async Task At100000Assets_ACsvExportByARepeatingKey_HoldsEveryAssetOnce_AcrossItsBatches()
    {
        // Warranty ends repeat every 1,095 assets, so ties straddle the seams between the export's batches of 5,000,
        // each read while the one before it is written.
        var started = Stopwatch.StartNew();
        var csv = await (await _owner.GetAsync("/api/v1/assets/export.csv?sort=warrantyEnd&dir=desc")).TextAsync();
        started.Stop();
        output.WriteLine($"CSV export of {Assets:N0} assets by warranty end over HTTP: {started.Elapsed.TotalSeconds:0.0} s (target ≤ 5 s)");
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')).ToList();
        var first = await _owner.ReadAsync<OnTrackio.Assets.AssetPage>("/api/v1/assets?sort=warrantyEnd&dir=desc&limit=3");

        Assert.Equal(Assets, rows.Count);
        Assert.Equal(Assets, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(first.Items.Select(a => a.Tag), rows.Take(3).Select(r => r[0]));
        var warranty = Array.IndexOf(OnTrackio.Assets.AssetCsv.Header.Split(','), "warranty_end");
        var ends = rows.Select(r => r[warranty]).ToList();
        Assert.Equal(ends.OrderDescending(StringComparer.Ordinal), ends);
    }

    /// <summary>Counts the rows of the first sheet by reading it as a stream (a DOM of 100,000 rows is not needed).</summary>
    private static int RowsOf(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        using var reader = XmlReader.Create(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var rows = 0;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "row")
            {
                rows++;
            }
        }

        return rows;
    }
}
