using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// <c>--register</c>: one workspace on PostgreSQL, filled the way a customer would fill it — reference data through the
/// API, then 5,000 people and 100,000 assets as CSV files through the import API (dry run, then commit) — with the web
/// host in its own process, whose peak resident memory is read from the kernel. Then the asset list's latency and the
/// CSV export, over HTTP on loopback.
/// </summary>
internal static class RegisterFigures
{
    private const string Slug = "register-bench";
    private const string PlatformDomain = "localhost";
    private const int Samples = 200;
    private const int WarmUp = 20;
    private const int Seed = 4711;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly (string Category, string Manufacturer, string[] Models)[] Catalog =
    [
        ("Laptops", "Lenovo", ["ThinkPad T14", "ThinkPad X1 Carbon"]),
        ("Laptops", "Dell", ["Latitude 5440"]),
        ("Laptops", "Apple", ["MacBook Pro 14"]),
        ("Laptops", "HP", ["EliteBook 840"]),
        ("Desktops", "Dell", ["OptiPlex 7010"]),
        ("Desktops", "Lenovo", ["ThinkCentre M70q"]),
        ("Monitors", "Dell", ["Dell U2723QE"]),
        ("Monitors", "LG", ["LG 27UL850"]),
        ("Monitors", "HP", ["HP E24 G5"]),
        ("Phones", "Apple", ["iPhone 15"]),
        ("Phones", "Google", ["Pixel 8"]),
        ("Tablets", "Apple", ["iPad Air"]),
        ("Peripherals", "Logitech", ["MX Keys", "MX Master 3S", "C920 Webcam"]),
        ("Peripherals", "Jabra", ["Evolve2 65"]),
    ];

    private static readonly string[] Sites = ["Berlin", "Paris", "London", "Madrid", "Warsaw"];
    private static readonly string[] Floors = ["Floor 1", "Floor 2", "Floor 3"];
    private static readonly string[] Suppliers = ["Bechtle", "CDW", "Insight", "Computacenter"];
    private static readonly string[] Departments = ["Engineering", "Sales", "Finance", "Support", "People", "Marketing"];
    private static readonly (string Name, int Weight)[] Statuses = [("Ready to deploy", 50), ("Pending", 20), ("In repair", 10), ("Broken", 5), ("Archived", 15)];

    public static async Task<Report> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var cluster = BenchCluster.FromEnvironment();
        var settings = cluster.PlatformSettings();
        settings["OnTrackio:Tenancy:PlatformDomain"] = PlatformDomain;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
        var report = new Report();

        ProvisionedWorkspace workspace;
        await using (var platform = new BenchPlatform(configuration))
        {
            await cluster.ResetAsync(platform.PostgresOptions.TemplateDatabase, cancellationToken);
            await platform.PrepareAsync(BenchCluster.ServerName, cluster.ServerConnectionString, cancellationToken);
            workspace = (await platform.ProvisionAsync([Slug], _ => { }, cancellationToken))[0];
            await using var db = await platform.OpenWorkspaceAsync(Slug, cancellationToken);
            await db.Database.ExecuteSqlRawAsync(CustomFieldsSql, cancellationToken);
        }

        progress.WriteLine("register: starting the web host");
        // The import's own log line (where each run's time went) is printed with the report.
        var hostSettings = configuration.GetSection("OnTrackio").AsEnumerable()
            .Append(KeyValuePair.Create("Logging:LogLevel:OnTrackio.Importing", (string?)"Information"))
            .Concat(Environment.GetEnvironmentVariable("BENCH_HOST_GC") is { } gc ? [KeyValuePair.Create("DOTNET_gcServer", (string?)gc)] : []);
        await using var host = await WebHostProcess.StartAsync(hostSettings, TimeSpan.FromSeconds(60), cancellationToken);
        var cpu = await CpuTime.OpenAsync(host.ProcessId, cluster.AdminConnectionString, cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var owner = await IdentityFigures.AcceptAsync(client, workspace, cancellationToken);
        var api = new Api(client, owner.Host, owner.Cookie, cpu);

        progress.WriteLine("register: reference data through the API, models and people through the import");
        await CreateReferenceDataAsync(api, cancellationToken);
        var models = await api.ImportAsync("models", Encoding.UTF8.GetBytes(ModelsCsv()), progress, cancellationToken);
        var people = await api.ImportAsync("people", Encoding.UTF8.GetBytes(PeopleCsv(options.RegisterPeople)), progress, cancellationToken);

        var assetsFile = Encoding.UTF8.GetBytes(AssetsCsv(options.RegisterAssets));
        progress.WriteLine(Invariant($"register: importing {options.RegisterAssets:N0} assets ({assetsFile.Length / 1_000_000.0:0.0} MB of CSV)"));
        var before = host.ReadMemory();
        var assets = await api.ImportAsync("assets", assetsFile, progress, cancellationToken);
        var memory = host.ReadMemory();
        if (assets.Created != options.RegisterAssets)
        {
            throw new InvalidOperationException(Invariant($"the asset import created {assets.Created} of {options.RegisterAssets} assets"));
        }

        var caveat = options.RegisterAssets < BenchOptions.RegisterTargetAssets ? "fewer assets than the target is stated for" : null;
        report.Add(new Figure(Invariant($"Import {options.RegisterAssets:N0} assets: upload and dry run"), Report.Seconds(assets.DryRun), "≤ 30 s",
            assets.DryRun <= TimeSpan.FromSeconds(30), caveat));
        report.Add(new Figure(Invariant($"Import {options.RegisterAssets:N0} assets: commit"), Report.Seconds(assets.Commit), "≤ 30 s",
            assets.Commit <= TimeSpan.FromSeconds(30), caveat));
        report.Add(new Figure("Web host peak memory (VmHWM) by the end of the import", Report.Megabytes(memory.PeakResidentBytes), "≤ 400 MB",
            memory.PeakResidentBytes <= 400_000_000, caveat));

        // The database as autovacuum leaves it within a minute of a bulk load: statistics, and the trigram indexes'
        // pending lists merged (until then a GIN index costs the planner more than a scan of the table, and the list's
        // search falls back to one). The figures are the steady state's; the minute after an import is not.
        await using (var platform = new BenchPlatform(configuration))
        {
            await using var db = await platform.OpenWorkspaceAsync(Slug, cancellationToken);
            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE)", cancellationToken);
        }

        progress.WriteLine(Invariant($"register: asset list, {Samples} requests per figure, one at a time"));
        var status = (await api.GetJsonAsync("/api/v1/status-labels", cancellationToken)).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Ready to deploy").GetProperty("id").GetGuid();
        var category = (await api.GetJsonAsync("/api/v1/categories", cancellationToken)).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Laptops").GetProperty("id").GetGuid();
        var random = new Random(Seed);
        var lists = new (string Name, Func<string> Path)[]
        {
            ("first page", () => "/api/v1/assets"),
            ("filtered by status and category", () => Invariant($"/api/v1/assets?status={status}&category={category}")),
            ("deep cursor (past 90% of the tags)", () => "/api/v1/assets?cursor=" + Cursor(Tag(random.Next(options.RegisterAssets * 9 / 10, options.RegisterAssets)))),
            ("search q (any part of the name)", () => "/api/v1/assets?q=" + random.Next(1000, 10_000).ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (name, path) in lists)
        {
            var (p50, p95, rows) = await api.LatencyAsync(path, cancellationToken);
            report.Add(new Figure(Invariant($"Asset list p95, {name}"), Report.Milliseconds(p95), "≤ 50 ms", p95 <= TimeSpan.FromMilliseconds(50), caveat));
            report.Context(Invariant($"List, {name}"), Invariant($"p50 {p50.TotalMilliseconds:0.0} ms, p95 {p95.TotalMilliseconds:0.0} ms; {rows:0.#} rows per answer on average"));
        }

        progress.WriteLine("register: exports");
        var csv = await api.DownloadAsync("/api/v1/assets/export.csv", cancellationToken);
        report.Add(new Figure(Invariant($"Export CSV, {options.RegisterAssets:N0} assets"), Report.Seconds(csv!.Value.Elapsed), "≤ 5 s",
            csv.Value.Elapsed <= TimeSpan.FromSeconds(5) && csv.Value.Lines == options.RegisterAssets + 1, caveat));
        var xlsx = await api.DownloadAsync("/api/v1/assets/export.xlsx", cancellationToken);
        report.Context("Export XLSX", xlsx is { } x
            ? Invariant($"{Report.Seconds(x.Elapsed)} for {x.Bytes / 1_000_000.0:0.0} MB")
            : "not available (GET /api/v1/assets/export.xlsx answers 404)");

        report.Context("Import, assets", Invariant(
            $"{assetsFile.Length / 1_000_000.0:0.0} MB CSV; dry run {options.RegisterAssets / assets.DryRun.TotalSeconds:N0} rows/s, commit {options.RegisterAssets / assets.Commit.TotalSeconds:N0} rows/s (each asset: its row, custom values, a timeline line and a chained audit entry)"));
        report.Context("CPU used, dry run", Invariant($"web host {Report.Seconds(assets.DryRunCpu.Host)}, PostgreSQL {Report.Seconds(assets.DryRunCpu.Database)} (wall {Report.Seconds(assets.DryRun)})"));
        report.Context("CPU used, commit", Invariant($"web host {Report.Seconds(assets.CommitCpu.Host)}, PostgreSQL {Report.Seconds(assets.CommitCpu.Database)} (wall {Report.Seconds(assets.Commit)})"));
        report.Context("Import, models and people", Invariant(
            $"{models.Created} models in {Report.Seconds(models.DryRun)} + {Report.Seconds(models.Commit)}; {people.Created:N0} people in {Report.Seconds(people.DryRun)} + {Report.Seconds(people.Commit)}"));
        report.Context("Web host memory", Invariant(
            $"VmHWM {Report.Megabytes(memory.PeakResidentBytes)} (peak since start, separate process), VmRSS before the asset import {Report.Megabytes(before.ResidentBytes)}, after {Report.Megabytes(memory.ResidentBytes)}"));
        report.Context("CSV export", Invariant($"{csv.Value.Bytes / 1_000_000.0:0.0} MB, {csv.Value.Lines:N0} lines, streamed"));
        report.Context("List latency", "time to the last byte of each answer, measured by the client over loopback HTTP (the host has no Server-Timing header), after VACUUM (ANALYZE) as autovacuum would run it; the first " +
            Invariant($"{WarmUp} requests of each kind are left out"));
        report.Context("Load average (1 min) at the end", File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown");
        report.Context("Machine", $"{Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        report.Context("Database", await cluster.DescribeAsync(cancellationToken));
        report.Context("Benchmark duration", Report.Seconds(total.Elapsed));
        foreach (var line in host.RecentOutput())
        {
            report.Context("Web host said", line);
        }

        return report;
    }

    /// <summary>Custom fields have no API yet: four fields in four sets, each set on the categories whose assets carry it.</summary>
    private const string CustomFieldsSql = """
        INSERT INTO custom_fields (id, name, type, options, required) VALUES
          ('0193e000-0000-7000-8000-000000000001', 'RAM (GB)', 'Number', NULL, false),
          ('0193e000-0000-7000-8000-000000000002', 'CPU', 'List', E'Intel Core i5\nIntel Core i7\nAMD Ryzen 7\nApple M3', false),
          ('0193e000-0000-7000-8000-000000000003', 'MDM enrolled', 'Boolean', NULL, true),
          ('0193e000-0000-7000-8000-000000000004', 'Screen size (in)', 'Number', NULL, false);
        INSERT INTO custom_field_sets (id, name) VALUES
          ('0193e000-0000-7000-8000-000000000011', 'Laptop fields'), ('0193e000-0000-7000-8000-000000000012', 'Desktop fields'),
          ('0193e000-0000-7000-8000-000000000013', 'Mobile fields'), ('0193e000-0000-7000-8000-000000000014', 'Monitor fields');
        INSERT INTO custom_field_set_members (set_id, field_id, position) VALUES
          ('0193e000-0000-7000-8000-000000000011', '0193e000-0000-7000-8000-000000000001', 1),
          ('0193e000-0000-7000-8000-000000000011', '0193e000-0000-7000-8000-000000000002', 2),
          ('0193e000-0000-7000-8000-000000000011', '0193e000-0000-7000-8000-000000000003', 3),
          ('0193e000-0000-7000-8000-000000000012', '0193e000-0000-7000-8000-000000000001', 1),
          ('0193e000-0000-7000-8000-000000000012', '0193e000-0000-7000-8000-000000000002', 2),
          ('0193e000-0000-7000-8000-000000000013', '0193e000-0000-7000-8000-000000000003', 1),
          ('0193e000-0000-7000-8000-000000000014', '0193e000-0000-7000-8000-000000000004', 1);
        UPDATE categories SET field_set_id = CASE name
          WHEN 'Laptops' THEN '0193e000-0000-7000-8000-000000000011'::uuid WHEN 'Desktops' THEN '0193e000-0000-7000-8000-000000000012'::uuid
          WHEN 'Phones' THEN '0193e000-0000-7000-8000-000000000013'::uuid WHEN 'Tablets' THEN '0193e000-0000-7000-8000-000000000013'::uuid
          WHEN 'Monitors' THEN '0193e000-0000-7000-8000-000000000014'::uuid END;
        """;

    private static async Task CreateReferenceDataAsync(Api api, CancellationToken cancellationToken)
    {
        foreach (var manufacturer in Catalog.Select(c => c.Manufacturer).Distinct())
        {
            await api.PostJsonAsync("/api/v1/manufacturers", new { name = manufacturer }, cancellationToken);
        }

        foreach (var site in Sites)
        {
            var parent = await api.PostJsonAsync("/api/v1/locations", new { name = site }, cancellationToken);
            foreach (var floor in Floors)
            {
                await api.PostJsonAsync("/api/v1/locations", new { name = floor, parentId = parent.GetProperty("id").GetGuid() }, cancellationToken);
            }
        }

        foreach (var supplier in Suppliers)
        {
            await api.PostJsonAsync("/api/v1/suppliers", new { name = supplier }, cancellationToken);
        }

        foreach (var department in Departments)
        {
            await api.PostJsonAsync("/api/v1/departments", new { name = department }, cancellationToken);
        }
    }

    private static string ModelsCsv()
    {
        var csv = new StringBuilder("name,category,manufacturer,model_number,end_of_life_months\n");
        var number = 1000;
        foreach (var (category, manufacturer, models) in Catalog)
        {
            foreach (var model in models)
            {
                csv.Append(Invariant($"{model},{category},{manufacturer},M-{number++},{(category == "Monitors" ? 72 : 48)}\n"));
            }
        }

        return csv.ToString();
    }

    private static string PeopleCsv(int count)
    {
        var random = new Random(Seed);
        var csv = new StringBuilder("name,email,employee_number,department,manager_email,location,start_date\n");
        for (var i = 1; i <= count; i++)
        {
            // Every tenth person manages the next nine; managers come first, as an HR export lists them.
            var manager = i % 10 == 1 ? string.Empty : Invariant($"person{i - ((i - 1) % 10)}@register-bench.example");
            csv.Append(Invariant(
                $"Person {i},person{i}@register-bench.example,E{i:00000},{Departments[i % Departments.Length]},{manager},{Sites[random.Next(Sites.Length)]} / {Floors[random.Next(Floors.Length)]},{new DateOnly(2015, 1, 1).AddDays(random.Next(3650)):yyyy-MM-dd}\n"));
        }

        return csv.ToString();
    }

    private static string AssetsCsv(int count)
    {
        var random = new Random(Seed);
        var models = Catalog.SelectMany(c => c.Models.Select(m => (Category: c.Category, Model: m))).ToArray();
        var statusWeights = Statuses.Sum(s => s.Weight);
        var csv = new StringBuilder(count * 230);
        csv.Append("tag,serial,name,model,status,location,supplier,purchase_date,cost,currency,order_number,warranty_end,notes,RAM (GB),CPU,MDM enrolled,Screen size (in)\n");
        for (var i = 1; i <= count; i++)
        {
            var (category, model) = models[random.Next(models.Length)];
            var roll = random.Next(statusWeights);
            var status = Statuses.First(s => (roll -= s.Weight) < 0).Name;
            var purchased = new DateOnly(2019, 1, 1).AddDays(random.Next(2500));
            var computer = category is "Laptops" or "Desktops";
            var mobile = category is "Laptops" or "Phones" or "Tablets";
            csv.Append(Tag(i)).Append(',')
                .Append(Invariant($"SN{random.NextInt64(0x1000000000, 0xFFFFFFFFFF):X}")).Append(',')
                .Append(Invariant($"{model} #{i}")).Append(',')
                .Append(model).Append(',')
                .Append(status).Append(',')
                .Append(Sites[random.Next(Sites.Length)]).Append(" / ").Append(Floors[random.Next(Floors.Length)]).Append(',')
                .Append(Suppliers[random.Next(Suppliers.Length)]).Append(',')
                .Append(purchased.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(Invariant($"{random.Next(50, 3000)}.{random.Next(100):00}")).Append(",EUR,")
                .Append(Invariant($"PO-{random.Next(10_000, 99_999)}")).Append(',')
                .Append(purchased.AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(',')
                .Append(random.Next(10) == 0 ? "\"Spare charger in the drawer, ask reception\"" : string.Empty).Append(',')
                .Append(computer ? Invariant($"{8 << random.Next(3)}") : string.Empty).Append(',')
                .Append(computer ? (model.StartsWith("MacBook", StringComparison.Ordinal) ? "Apple M3" : random.Next(2) == 0 ? "Intel Core i5" : "Intel Core i7") : string.Empty).Append(',')
                .Append(mobile ? (random.Next(5) == 0 ? "no" : "yes") : string.Empty).Append(',')
                .Append(category == "Monitors" ? (model.Contains("24", StringComparison.Ordinal) ? "24" : "27") : string.Empty)
                .Append('\n');
        }

        return csv.ToString();
    }

    private static string Tag(int number) => Invariant($"IT-{number:000000}");

    /// <summary>The list's cursor after a tag in tag order, as <c>AssetCursor</c> issues it: base64url of [sort, dir, key, tag].</summary>
    private static string Cursor(string tag) =>
        Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new[] { "tag", "asc", tag, tag }))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private readonly record struct ImportTimes(
        TimeSpan DryRun, TimeSpan Commit, int Created, (TimeSpan Host, TimeSpan Database) DryRunCpu, (TimeSpan Host, TimeSpan Database) CommitCpu);

    /// <summary>The workspace's API as its owner, over loopback: the Host header names the workspace, the cookie the session.</summary>
    private sealed class Api(HttpClient client, string host, string cookie, CpuTime cpu)
    {
        public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
            return await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
        }

        public async Task<JsonElement> PostJsonAsync(string path, object body, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(HttpMethod.Post, path, JsonContent.Create(body), cancellationToken);
            return await ReadAsync(response, HttpStatusCode.Created, cancellationToken);
        }

        /// <summary>Uploads, waits for the dry run, commits, waits for the commit; each timed from its request to its final status.</summary>
        public async Task<ImportTimes> ImportAsync(string kind, byte[] file, TextWriter progress, CancellationToken cancellationToken)
        {
            var started = Stopwatch.StartNew();
            var cpuAtStart = cpu.Read();
            using var form = new MultipartFormDataContent
            {
                { new StringContent(kind), "kind" },
                { new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", kind + ".csv" },
            };
            JsonElement job;
            using (var uploaded = await SendAsync(HttpMethod.Post, "/api/v1/imports", form, cancellationToken))
            {
                job = await ReadAsync(uploaded, HttpStatusCode.Accepted, cancellationToken);
            }

            var id = job.GetProperty("id").GetGuid();
            job = await WaitAsync(id, progress, cancellationToken);
            var dryRun = started.Elapsed;
            var cpuChecked = cpu.Read();
            if (!job.GetProperty("canCommit").GetBoolean())
            {
                throw new InvalidOperationException($"the {kind} file did not pass its dry run: {job}");
            }

            started.Restart();
            using (var commit = await SendAsync(HttpMethod.Post, $"/api/v1/imports/{id}/commit", null, cancellationToken))
            {
                await ReadAsync(commit, HttpStatusCode.Accepted, cancellationToken);
            }

            job = await WaitAsync(id, progress, cancellationToken);
            if (job.GetProperty("status").GetString() != "Committed")
            {
                throw new InvalidOperationException($"the {kind} import did not commit: {job}");
            }

            var cpuCommitted = cpu.Read();
            return new ImportTimes(
                dryRun, started.Elapsed, job.GetProperty("createCount").GetInt32(),
                (cpuChecked.Host - cpuAtStart.Host, cpuChecked.Database - cpuAtStart.Database),
                (cpuCommitted.Host - cpuChecked.Host, cpuCommitted.Database - cpuChecked.Database));
        }

        /// <summary>p50 and p95 of <see cref="Samples"/> answers, one request at a time, after <see cref="WarmUp"/> unmeasured ones.</summary>
        public async Task<(TimeSpan P50, TimeSpan P95, double Rows)> LatencyAsync(Func<string> path, CancellationToken cancellationToken)
        {
            var times = new List<TimeSpan>(Samples);
            long rows = 0;
            for (var i = 0; i < WarmUp + Samples; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await SendAsync(HttpMethod.Get, path(), null, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException(Invariant($"the asset list answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}"));
                }

                if (i >= WarmUp)
                {
                    times.Add(elapsed);
                    using var json = JsonDocument.Parse(body);
                    rows += json.RootElement.GetProperty("items").GetArrayLength();
                }
            }

            times.Sort();
            return (Percentile(times, 0.50), Percentile(times, 0.95), rows / (double)Samples);
        }

        /// <summary>Reads a download to its end; null when the endpoint does not exist (404).</summary>
        public async Task<(TimeSpan Elapsed, long Bytes, long Lines)?> DownloadAsync(string path, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            using var request = Request(HttpMethod.Get, path, null);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException(Invariant($"GET {path} answered {(int)response.StatusCode}"));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            long bytes = 0, lines = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }

            return (Stopwatch.GetElapsedTime(started), bytes, lines);
        }

        private async Task<JsonElement> WaitAsync(Guid id, TextWriter progress, CancellationToken cancellationToken)
        {
            var said = string.Empty;
            while (true)
            {
                var job = await GetJsonAsync($"/api/v1/imports/{id}", cancellationToken);
                if (!job.GetProperty("isRunning").GetBoolean())
                {
                    return job;
                }

                var now = Invariant($"{job.GetProperty("status").GetString()} {job.GetProperty("processedRows").GetInt32() / 10_000 * 10_000:N0}");
                if (now != said)
                {
                    progress.WriteLine(Invariant($"register:   {now} of {job.GetProperty("totalRows").GetInt32():N0}"));
                    said = now;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }

        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
        {
            using var request = Request(method, path, content);
            return await client.SendAsync(request, cancellationToken);
        }

        private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content)
        {
            var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Host = host;
            request.Headers.Add("Cookie", cookie);
            return request;
        }

        private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException(Invariant($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}: {text}"));
            }

            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double share) =>
        sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];
}
