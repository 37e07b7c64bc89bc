using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;
using NpgsqlTypes;
using OnTrackio.Audit;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// <c>--audit</c>: loads a chain of entries into one workspace with COPY, hashed by the same <see cref="AuditChainHasher"/>
/// the interceptor uses, then times <see cref="VerifyAuditChain"/> — the operation behind <c>ontrackio audit verify</c>.
/// </summary>
internal static class AuditVerifyFigure
{
    private const string Slug = "audit-bench";

    public static async Task<Report> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var cluster = BenchCluster.FromEnvironment();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(cluster.PlatformSettings()).AddEnvironmentVariables().Build();
        var report = new Report();
        await using var platform = new BenchPlatform(configuration);
        await cluster.ResetAsync(platform.PostgresOptions.TemplateDatabase, cancellationToken);
        await platform.PrepareAsync(BenchCluster.ServerName, cluster.ServerConnectionString, cancellationToken);
        await platform.ProvisionAsync([Slug], _ => { }, cancellationToken);

        progress.WriteLine($"audit: loading {options.AuditEntries:N0} chained entries with COPY…");
        var load = Stopwatch.StartNew();
        await using (var db = await platform.OpenWorkspaceAsync(Slug, cancellationToken))
        {
            await LoadAsync(db, options.AuditEntries, cancellationToken);
        }

        load.Stop();
        progress.WriteLine($"audit: loaded in {Report.Seconds(load.Elapsed)}; verifying…");

        var loadBefore = LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var verify = Stopwatch.StartNew();
        var result = await platform.VerifyAuditChainAsync(Slug, cancellationToken);
        verify.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (!result.Valid || result.Checked != options.AuditEntries)
        {
            throw new InvalidOperationException($"the loaded chain did not verify: {result.Checked} checked, break: {result.Break}");
        }

        report.Add(new Figure(Invariant($"audit verify over {options.AuditEntries:N0} entries"), Report.Seconds(verify.Elapsed), "≤ 10 s",
            verify.Elapsed <= TimeSpan.FromSeconds(10),
            options.AuditEntries < BenchOptions.AuditTargetEntries ? "fewer entries than the target is stated for" : null));
        report.Context("Audit load", Invariant($"{options.AuditEntries:N0} entries by binary COPY in {Report.Seconds(load.Elapsed)} (hashing included), then ANALYZE"));
        report.Context("Audit verify", Invariant(
            $"{options.AuditEntries / verify.Elapsed.TotalSeconds:N0} entries/s; this process used {Report.Seconds(cpu)} of CPU (one streamed query, batches hashed in parallel)"));

        // The machine may be shared: a wall-clock figure taken under other load says so beside it.
        report.Context("Load average (1 min) before / after verify", $"{loadBefore} / {LoadAverage()}");
        report.Context("Machine", $"{Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        report.Context("Database", await cluster.DescribeAsync(cancellationToken));
        report.Context("Benchmark duration", Report.Seconds(total.Elapsed));
        return report;
    }

    /// <summary>Realistic rows (identity events and register changes with field diffs), chained from genesis, in one COPY.</summary>
    private static async Task LoadAsync(WorkspaceData.WorkspaceDbContext db, int count, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var start = DateTimeOffset.UtcNow.AddDays(-300);
        var previous = AuditChainHasher.Genesis;
        var actor = Guid.NewGuid();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY audit_events (occurred_at, type, actor_type, actor_id, actor_label, subject, ip_address, user_agent, entity_type, entity_id, changes, sequence, previous_hash, hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var i = 1; i <= count; i++)
            {
                var change = i % 3 != 0;
                var entry = new AuditEvent
                {
                    OccurredAt = AuditChainHasher.Normalise(start.AddMilliseconds(i * 25_000.0)),
                    Type = change ? AuditEventType.ProfileChanged : AuditEventType.SignedIn,
                    ActorType = "user",
                    ActorId = actor,
                    ActorLabel = "it@audit-bench.example",
                    Subject = change ? null : "password",
                    IpAddress = "203.0.113.17",
                    UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
                    EntityType = change ? "asset" : null,
                    EntityId = change ? Invariant($"{i % 100_000}") : null,
                    Changes = change ? Invariant($"[{{\"field\":\"location\",\"before\":\"Room {i % 40}\",\"after\":\"Room {(i + 1) % 40}\"}}]") : null,
                };
                var hash = AuditChainHasher.Compute(previous, i, entry);
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(entry.OccurredAt, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(entry.Type.ToString(), NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(entry.ActorType, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(actor, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(entry.ActorLabel, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, entry.Subject, cancellationToken);
                await copy.WriteAsync(entry.IpAddress, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(entry.UserAgent, NpgsqlDbType.Varchar, cancellationToken);
                await WriteNullableAsync(copy, entry.EntityType, cancellationToken);
                await WriteNullableAsync(copy, entry.EntityId, cancellationToken);
                await WriteNullableAsync(copy, entry.Changes, cancellationToken, NpgsqlDbType.Text);
                await copy.WriteAsync((long)i, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(previous, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(hash, NpgsqlDbType.Varchar, cancellationToken);
                previous = hash;
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO audit_chain_head (id, sequence, hash) VALUES ('head', {(long)count}, {previous})", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("ANALYZE audit_events", cancellationToken);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken, NpgsqlDbType type = NpgsqlDbType.Varchar) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
