using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// <c>--webhooks</c>: one workspace on PostgreSQL with one endpoint on a fast receiver in this process (Kestrel on
/// loopback, answering 204 at once), the web host in its own process. First, changes one at a time through the API,
/// each timed from the moment its change was recorded (the event's own timestamp, taken before the commit) to its
/// arrival at the receiver: p50 and p95. Then an import of people committed in one transaction, whose events are all
/// due at once: deliveries per second from the first arrival to the last. Every signature is checked on arrival.
/// </summary>
internal static class WebhookFigures
{
    private const string Slug = "webhook-bench";
    private const string PlatformDomain = "localhost";
    private const int LatencySamples = 200;
    private const int LatencyWarmUp = 10;

    /// <summary>Between two changes of the latency run: changes that come one after another, not a queue built up at once.</summary>
    private static readonly TimeSpan LatencyPause = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

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
        }

        await using var receiver = await Receiver.StartAsync();
        progress.WriteLine("webhooks: starting the web host");

        // The receiver is on 127.0.0.1, which only a host told so may call: set here, explicitly, for this run only.
        // Production never sets it (its default is off), and every other internal address stays refused even so.
        var hostSettings = configuration.GetSection("OnTrackio").AsEnumerable()
            .Append(KeyValuePair.Create("OnTrackio:Webhooks:AllowLoopback", (string?)"true"));
        await using var host = await WebHostProcess.StartAsync(hostSettings, TimeSpan.FromSeconds(60), cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var owner = await IdentityFigures.AcceptAsync(client, workspace, cancellationToken);
        var api = new Api(client, owner.Host, owner.Cookie);
        var created = await api.SendAsync(HttpMethod.Post, "/api/v1/webhooks", JsonContent.Create(new { url = receiver.Url }), HttpStatusCode.Created, cancellationToken);
        receiver.Secret = created.GetProperty("secret").GetString()!;

        progress.WriteLine(Invariant($"webhooks: {LatencyWarmUp + LatencySamples} changes one at a time, each timed to its delivery"));
        for (var i = 0; i < LatencyWarmUp + LatencySamples; i++)
        {
            await api.SendAsync(HttpMethod.Post, "/api/v1/people", JsonContent.Create(new { name = Invariant($"Latency {i:000}"), email = Invariant($"latency{i}@bench.example") }), HttpStatusCode.Created, cancellationToken);
            await Task.Delay(LatencyPause, cancellationToken);
        }

        var latencyRun = await receiver.WaitForAsync(LatencyWarmUp + LatencySamples, Patience, cancellationToken);
        var latencies = latencyRun.OrderBy(r => r.RecordedAt).Skip(LatencyWarmUp).Select(r => r.ArrivedAt - r.RecordedAt).Order().ToList();
        var (p50, p95) = (Percentile(latencies, 0.50), Percentile(latencies, 0.95));

        var rows = options.WebhookEvents - 1;
        progress.WriteLine(Invariant($"webhooks: importing {rows:N0} people in one commit ({rows + 1:N0} events: one per row and the import's)"));
        receiver.Reset();
        var csv = new StringBuilder("name,email\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Bulk {i:000000},bulk{i}@bench.example\n");
        }

        var committed = await api.ImportAsync("people", Encoding.UTF8.GetBytes(csv.ToString()), cancellationToken);
        var bulk = await receiver.WaitForAsync(rows + 1, Patience, cancellationToken);
        var first = bulk.Min(r => r.ArrivedAt);
        var last = bulk.Max(r => r.ArrivedAt);
        var rate = bulk.Count / Math.Max((last - first).TotalSeconds, 0.001);
        var drained = last - committed;

        var unsigned = receiver.Unverified;
        var caveat = unsigned > 0 ? Invariant($"{unsigned} signatures did not verify") : receiver.Duplicates > 0 ? Invariant($"{receiver.Duplicates} duplicates") : null;
        report.Add(new Figure(
            Invariant($"Webhook deliveries per second to a fast loopback receiver ({bulk.Count:N0} events due at once)"),
            Invariant($"{rate:N0}/s"), "≥ 500/s", rate >= 500, caveat));
        report.Add(new Figure(
            Invariant($"Committed change to its delivery, p50 / p95 ({LatencySamples} changes one at a time)"),
            $"{Report.Milliseconds(p50)} / {Report.Milliseconds(p95)}", "≤ 1 s / ≤ 3 s",
            p50 <= TimeSpan.FromSeconds(1) && p95 <= TimeSpan.FromSeconds(3), caveat));

        report.Context("Latency", Invariant(
            $"from the event's timestamp (when the change was recorded, just before its commit) to its arrival, both read from this machine's clock; min {Report.Milliseconds(latencies[0])}, max {Report.Milliseconds(latencies[^1])}; POST /api/v1/people, one at a time, {LatencyPause.TotalMilliseconds:0} ms apart, after {LatencyWarmUp} unmeasured"));
        report.Context("Throughput", Invariant(
            $"{bulk.Count:N0} deliveries from the first arrival to the last in {Report.Seconds(last - first)}; the last arrived {Report.Seconds(drained)} after the import's commit was seen committed"));
        report.Context("Signatures", Invariant($"{receiver.Verified:N0} of {receiver.Verified + receiver.Unverified:N0} requests verified with the endpoint's secret (HMAC-SHA256 over id.timestamp.body); {receiver.Duplicates} duplicate webhook-ids"));
        report.Context("Delivery settings", "the host's defaults (poll 500 ms, at most 64 attempts in flight, claims of up to 100), loopback allowed for this run only");
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

    private static TimeSpan Percentile(List<TimeSpan> sorted, double share) =>
        sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];

    private sealed record Arrival(string Id, DateTimeOffset RecordedAt, DateTimeOffset ArrivedAt);

    /// <summary>A fast endpoint: checks the signature, notes when the request arrived and when its event was recorded, answers 204.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private ConcurrentQueue<Arrival> _arrivals = new();
        private readonly ConcurrentDictionary<string, bool> _seen = new();
        private int _verified;
        private int _unverified;
        private int _duplicates;

        private Receiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = string.Empty;

        public string Secret { get; set; } = string.Empty;

        public int Verified => _verified;

        public int Unverified => _unverified;

        public int Duplicates => _duplicates;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/hook", receiver.HandleAsync);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            receiver.Url = address + "/hook";
            return receiver;
        }

        public void Reset() => _arrivals = new ConcurrentQueue<Arrival>();

        public async Task<List<Arrival>> WaitForAsync(int count, TimeSpan patience, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(patience.TotalSeconds * Stopwatch.Frequency);
            while (_arrivals.Count < count)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException(Invariant($"{_arrivals.Count} of {count} webhook deliveries arrived within {patience.TotalSeconds:0} s"));
                }

                await Task.Delay(20, cancellationToken);
            }

            return [.. _arrivals];
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task HandleAsync(HttpContext context)
        {
            var arrived = DateTimeOffset.UtcNow;
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var id = context.Request.Headers["webhook-id"].ToString();
            var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
            byte[] signed = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
            var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Secret["whsec_".Length..]), signed));
            if (context.Request.Headers["webhook-signature"].ToString().Split(' ').Contains(expected))
            {
                Interlocked.Increment(ref _verified);
            }
            else
            {
                Interlocked.Increment(ref _unverified);
            }

            if (!_seen.TryAdd(id, true))
            {
                Interlocked.Increment(ref _duplicates);
            }

            using var json = JsonDocument.Parse(body);
            var recorded = json.RootElement.GetProperty("timestamp").GetDateTimeOffset();
            _arrivals.Enqueue(new Arrival(id, recorded, arrived));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    /// <summary>The workspace's API as its owner: the Host header names the workspace, the cookie the session.</summary>
    private sealed class Api(HttpClient client, string host, string cookie)
    {
        public async Task<JsonElement> SendAsync(HttpMethod method, string path, HttpContent? content, HttpStatusCode expected, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Host = host;
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException(Invariant($"{method} {path} answered {(int)response.StatusCode}: {text}"));
            }

            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            return json.RootElement.Clone();
        }

        /// <summary>Uploads, waits for the dry run, commits, and returns when the job was first seen committed.</summary>
        public async Task<DateTimeOffset> ImportAsync(string kind, byte[] file, CancellationToken cancellationToken)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(kind), "kind" },
                { new ByteArrayContent(file) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } }, "file", kind + ".csv" },
            };
            var id = (await SendAsync(HttpMethod.Post, "/api/v1/imports", form, HttpStatusCode.Accepted, cancellationToken)).GetProperty("id").GetGuid();
            var job = await WaitAsync(id, cancellationToken);
            if (!job.GetProperty("canCommit").GetBoolean())
            {
                throw new InvalidOperationException($"the {kind} file did not pass its dry run: {job}");
            }

            await SendAsync(HttpMethod.Post, $"/api/v1/imports/{id}/commit", null, HttpStatusCode.Accepted, cancellationToken);
            job = await WaitAsync(id, cancellationToken);
            return job.GetProperty("status").GetString() == "Committed"
                ? DateTimeOffset.UtcNow
                : throw new InvalidOperationException($"the {kind} import did not commit: {job}");
        }

        private async Task<JsonElement> WaitAsync(Guid id, CancellationToken cancellationToken)
        {
            while (true)
            {
                var job = await SendAsync(HttpMethod.Get, $"/api/v1/imports/{id}", null, HttpStatusCode.OK, cancellationToken);
                if (!job.GetProperty("isRunning").GetBoolean())
                {
                    return job;
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
