using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// Takes the figures in order: provisioning and migrate through the platform in this process, then requests, database
/// connections and memory against the web host in its own process.
/// </summary>
internal static class Benchmark
{
    /// <summary>Workspaces at *.localhost are loopback hosts, which the web host serves over plain HTTP with no proxy in front.</summary>
    private const string PlatformDomain = "localhost";
    private const int WarmUpParallelism = 4;
    private const int Rounds = 2;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static async Task<Report> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        if (options.AuditOnly)
        {
            return await AuditVerifyFigure.RunAsync(options, progress, cancellationToken);
        }

        if (options.RegisterOnly)
        {
            return await RegisterFigures.RunAsync(options, progress, cancellationToken);
        }

        if (options.TokensOnly)
        {
            return await TokenFigures.RunAsync(options, progress, cancellationToken);
        }

        if (options.DocumentsOnly)
        {
            return await DocumentFigures.RunAsync(progress, cancellationToken);
        }

        if (options.WebhooksOnly)
        {
            return await WebhookFigures.RunAsync(options, progress, cancellationToken);
        }

        if (options.Embedded)
        {
            return await RunEmbeddedIdentityAsync(options, progress, cancellationToken);
        }

        var total = Stopwatch.StartNew();
        var cluster = BenchCluster.FromEnvironment();

        // Settings from the environment (OnTrackio__…) override the benchmark's, in this process and in the web host alike.
        var settings = cluster.PlatformSettings();
        settings["OnTrackio:Tenancy:PlatformDomain"] = PlatformDomain;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();

        var report = new Report();
        List<ProvisionedWorkspace> workspaces;
        int budget;
        await using (var platform = new BenchPlatform(configuration))
        {
            budget = platform.PostgresOptions.ConnectionBudgetPerServer;
            await cluster.ResetAsync(platform.PostgresOptions.TemplateDatabase, cancellationToken);
            await platform.PrepareAsync(BenchCluster.ServerName, cluster.ServerConnectionString, cancellationToken);
            workspaces = options.IdentityOnly
                ? await platform.ProvisionAsync(Slugs(IdentityFigures.Workspaces), _ => { }, cancellationToken)
                : await ProvisionAndMigrateAsync(platform, options, report, progress, cancellationToken);
        }

        if (!options.IdentityOnly)
        {
            await LoadAsync(cluster, configuration, workspaces, options, budget, report, progress, cancellationToken);
            FieldEncryptionFigure.Measure(report);
        }

        await IdentityFigures.MeasureAsync(configuration, workspaces, options, report, progress, cancellationToken);

        report.Context("Machine", $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, {RuntimeInformation.FrameworkDescription}");
        report.Context("Database", await cluster.DescribeAsync(cancellationToken));
        report.Context("Benchmark duration", Report.Seconds(total.Elapsed));
        return report;
    }

    /// <summary>
    /// The identity figures on the embedded default (SQLite, one file per workspace) in a throwaway data folder: the
    /// same web host, configured the way <c>dotnet run --project src/OnTrackio.Web</c> runs on a laptop.
    /// </summary>
    private static async Task<Report> RunEmbeddedIdentityAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("ontrackio-bench-");
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["OnTrackio:Database:Engine"] = "Sqlite",
                ["OnTrackio:Database:Sqlite:DataDirectory"] = folder.FullName,
                ["OnTrackio:Tenancy:PlatformDomain"] = PlatformDomain,
            };
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
            var report = new Report("embedded SQLite");
            List<ProvisionedWorkspace> workspaces;
            await using (var platform = new BenchPlatform(configuration))
            {
                await platform.MigrateAsync(cancellationToken);
                workspaces = await platform.ProvisionAsync(Slugs(IdentityFigures.Workspaces), _ => { }, cancellationToken);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await IdentityFigures.MeasureAsync(configuration, workspaces, options, report, progress, cancellationToken);
            report.Context("Machine", $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, {RuntimeInformation.FrameworkDescription}");
            report.Context("Database", $"SQLite, one file per workspace in {folder.FullName}");
            report.Context("Benchmark duration", Report.Seconds(total.Elapsed));
            return report;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Provisions enough workspaces for the migrate figures, takes them, then provisions the rest.</summary>
    private static async Task<List<ProvisionedWorkspace>> ProvisionAndMigrateAsync(
        BenchPlatform platform, BenchOptions options, Report report, TextWriter progress, CancellationToken cancellationToken)
    {
        var slugs = Slugs(options.Workspaces);
        var first = options.MigrationWorkspaces;
        void Provisioned(int count)
        {
            if (count % 50 == 0)
            {
                progress.WriteLine(Invariant($"bench: provisioned {count} of {slugs.Length} workspaces"));
            }
        }

        progress.WriteLine(Invariant($"bench: provisioning {first} workspaces, then migrate twice"));
        var workspaces = await platform.ProvisionAsync(slugs[..first], Provisioned, cancellationToken);

        var current = await platform.MigrateAsync(cancellationToken);
        var previous = await platform.RollBackOneMigrationAsync(cancellationToken);
        var upgrade = await platform.MigrateAsync(cancellationToken);

        if (first < slugs.Length)
        {
            progress.WriteLine(Invariant($"bench: provisioning {slugs.Length - first} more workspaces"));
            workspaces.AddRange(await platform.ProvisionAsync(slugs[first..], count => Provisioned(first + count), cancellationToken));
        }

        var times = workspaces.Select(w => w.Elapsed).Order().ToList();
        var (p50, p95) = (Percentile(times, 0.50), Percentile(times, 0.95));
        report.Add(new Figure(
            Invariant($"Provision a workspace, p50 / p95 ({times.Count} workspaces, one after another)"),
            $"{Report.Milliseconds(p50)} / {Report.Milliseconds(p95)}",
            "≤ 250 ms / ≤ 500 ms",
            p50 <= TimeSpan.FromMilliseconds(250) && p95 <= TimeSpan.FromMilliseconds(500)));
        report.Add(new Figure(
            Invariant($"`migrate`, {first} workspaces already current"),
            Report.Seconds(current.Elapsed),
            "≤ 2 s",
            current.Elapsed <= TimeSpan.FromSeconds(2),
            current.AlreadyCurrent == first ? null : Invariant($"{current.AlreadyCurrent} of {first} found current")));
        report.Add(new Figure(
            Invariant($"`migrate`, {first} workspaces, one new migration"),
            Report.Seconds(upgrade.Elapsed),
            "≤ 30 s",
            upgrade.Elapsed <= TimeSpan.FromSeconds(30),
            upgrade.Upgraded == first ? null : Invariant($"{upgrade.Upgraded} of {first} upgraded")));

        report.Context("Workspaces", Invariant($"{options.Workspaces} (migrate figures over {first}; target stated for {BenchOptions.MigrationTargetWorkspaces})"));
        report.Context("Provisioning", Invariant(
            $"{times.Count} in {Report.Seconds(new TimeSpan(times.Sum(t => t.Ticks)))}; min {Report.Milliseconds(times[0])}, max {Report.Milliseconds(times[^1])}"));
        report.Context("New migration", $"workspaces rolled back to {previous}, then migrated to the current schema");
        return workspaces;
    }

    /// <summary>Warms every workspace in the web host, compares one workspace with all of them, then reads its memory.</summary>
    private static async Task LoadAsync(
        BenchCluster cluster,
        IConfiguration configuration,
        List<ProvisionedWorkspace> workspaces,
        BenchOptions options,
        int budget,
        Report report,
        TextWriter progress,
        CancellationToken cancellationToken)
    {
        var targets = workspaces.Select(w => LoadTarget.For(w, PlatformDomain)).ToList();
        await using var monitor = await ConnectionMonitor.OpenAsync(cluster.AdminConnectionString, cancellationToken);
        var (before, settled) = await monitor.WaitForNoWorkspaceConnectionsAsync(TimeSpan.FromSeconds(10), cancellationToken);

        progress.WriteLine("bench: starting the web host");
        await using var host = await WebHostProcess.StartAsync(configuration.GetSection("OnTrackio").AsEnumerable(), TimeSpan.FromSeconds(60), cancellationToken);
        var idle = host.ReadMemory();
        using var load = new LoadGenerator(host.BaseAddress, options.Concurrency);
        monitor.Start(PollInterval, budget);

        progress.WriteLine(Invariant($"bench: warming {targets.Count} workspaces"));
        var warm = await load.WarmAsync(targets, WarmUpParallelism, cancellationToken);
        var duration = TimeSpan.FromSeconds(options.Seconds);
        progress.WriteLine(Invariant($"bench: load, {options.Concurrency} workers, {options.Seconds} s on one workspace and {options.Seconds} s over all"));
        var (one, all) = await load.CompareAsync(targets[0], targets, options.Concurrency, duration, Rounds, cancellationToken);
        await monitor.StopAsync();
        var memory = host.ReadMemory();

        var ratio = one.RequestsPerSecond > 0 ? all.RequestsPerSecond / one.RequestsPerSecond : 0;
        var failed = one.Failed + all.Failed;
        report.Add(new Figure(
            Invariant($"req/s over {targets.Count} workspaces ÷ req/s on one"),
            Invariant($"{ratio:0.00}"),
            "≥ 0.8",
            ratio >= 0.8,
            failed == 0 ? null : Invariant($"{failed} failed requests")));
        report.Add(new Figure(
            "Peak PostgreSQL connections to workspace databases",
            Invariant($"{monitor.Peak.Workspace}"),
            Invariant($"≤ {budget} (budget per server)"),
            monitor.Peak.Workspace <= budget));
        report.Add(new Figure(
            Invariant($"Web host memory (VmRSS), {warm.Succeeded} workspaces warm"),
            Report.Megabytes(memory.ResidentBytes),
            "≤ 500 MB",
            memory.ResidentBytes <= 500_000_000,
            warm.Succeeded == targets.Count ? null : Invariant($"{warm.Failed} workspaces failed to warm")));

        report.Context("Load", Invariant(
            $"GET /api/v1/workspace, {options.Concurrency} workers in closed loop, {options.Seconds} s per side in {Rounds} rounds of one-then-all ({options.Seconds / (double)Rounds:0.#} s each)"));
        report.Context("One workspace", Describe(one));
        report.Context(Invariant($"Over {targets.Count} workspaces"), Describe(all) + " (round-robin)");
        report.Context("Warm-up", Invariant($"{warm.Succeeded + warm.Failed} requests, {WarmUpParallelism} at a time, in {Report.Seconds(warm.Elapsed)}{Failures(warm)}"));
        report.Context("Connections", Invariant(
            $"workspace databases peak {monitor.Peak.Workspace}, over the budget in {monitor.SamplesOverLimit} of {monitor.Samples} samples (every {PollInterval.TotalMilliseconds:0} ms during warm-up and load); all client backends peak {monitor.Peak.Client}, with the catalog's and the monitor's; before the host started: {before.Workspace} workspace, {before.Client} in all, {settled.TotalMilliseconds:0} ms after this process closed its own"));
        report.Context("Web host memory", Invariant(
            $"VmRSS {Report.Megabytes(memory.ResidentBytes)}, VmHWM {Report.Megabytes(memory.PeakResidentBytes)}; at start, none warm: VmRSS {Report.Megabytes(idle.ResidentBytes)}; about {(memory.ResidentBytes - idle.ResidentBytes) / 1000.0 / Math.Max(1, warm.Succeeded):0} kB per warm workspace"));
        foreach (var line in host.RecentOutput())
        {
            report.Context("Web host said", line);
        }
    }

    private static string Describe(LoadResult result) =>
        Invariant($"{result.RequestsPerSecond:0} req/s, {result.Succeeded} answers in {Report.Seconds(result.Elapsed)}{Failures(result)}");

    private static string Failures(LoadResult result) =>
        result.Failed == 0
            ? ", no errors"
            : Invariant($", {result.Failed} ERRORS: ") + string.Join("; ", result.Errors.OrderByDescending(e => e.Value).Take(5).Select(e => Invariant($"{e.Value} × {e.Key}")));

    /// <summary>Nearest rank: the smallest time that at least that share of provisionings stayed within.</summary>
    private static TimeSpan Percentile(List<TimeSpan> sorted, double share) =>
        sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];

    /// <summary>bench-0001, bench-0002, …: valid slugs that sort in provisioning order.</summary>
    private static string[] Slugs(int count)
    {
        var format = new string('0', Math.Max(4, count.ToString(CultureInfo.InvariantCulture).Length));
        return [.. Enumerable.Range(1, count).Select(i => "bench-" + i.ToString(format, CultureInfo.InvariantCulture))];
    }
}
