using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OnTrackio.Catalog;
using OnTrackio.Hosting;
using OnTrackio.Storage;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// <c>--documents</c>: a 100 MB file through each object store, up and down, with the peak memory growth of the process
/// the bytes go through. Filesystem store: through the web host's signed PUT/GET endpoints (a separate process, its
/// peak resident set reset before each transfer). S3 store (s3rver on loopback, <c>ONTRACKIO_TEST_S3_URL</c>):
/// presigned PUT/GET straight to the S3 server (no OnTrackio process in the path), and the store's streaming
/// <c>PutAsync</c>/<c>OpenReadAsync</c> run in this process, standing in for the host that streams an upload to S3.
/// </summary>
internal static class DocumentFigures
{
    private const string Slug = "documents-bench";
    private const long FileBytes = 100_000_000;
    private const double TargetMegabytesPerSecond = 100;
    private const long TargetGrowthBytes = 50_000_000;

    public static async Task<Report> RunAsync(TextWriter progress, CancellationToken cancellationToken)
    {
        var cluster = BenchCluster.FromEnvironment();
        var s3Url = Environment.GetEnvironmentVariable("ONTRACKIO_TEST_S3_URL")
            ?? throw new InvalidOperationException("ONTRACKIO_TEST_S3_URL is not set: run scripts/bench --documents, which starts the S3 test server.");
        var objects = Directory.CreateTempSubdirectory("ontrackio-bench-objects-").FullName;
        var settings = cluster.PlatformSettings();
        settings["OnTrackio:Tenancy:PlatformDomain"] = "localhost";
        settings["OnTrackio:Tenancy:PublicScheme"] = "http";
        settings["OnTrackio:Storage:FileSystem:Root"] = objects;
        var bucket = $"bench-{Guid.NewGuid():N}"[..20];
        var s3Settings = new Dictionary<string, string?>
        {
            ["OnTrackio:Storage:Kind"] = "S3",
            ["OnTrackio:Storage:S3:Bucket"] = bucket,
            ["OnTrackio:Storage:S3:ServiceUrl"] = s3Url,
            ["OnTrackio:Storage:S3:Region"] = "us-east-1",
            ["OnTrackio:Storage:S3:ForcePathStyle"] = "true",
            ["OnTrackio:Storage:S3:AccessKeyId"] = "S3RVER",
            ["OnTrackio:Storage:S3:SecretAccessKey"] = "S3RVER",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
        var report = new Report();
        try
        {
            ProvisionedWorkspace workspace;
            await using (var platform = new BenchPlatform(configuration))
            {
                await cluster.ResetAsync(platform.PostgresOptions.TemplateDatabase, cancellationToken);
                await platform.PrepareAsync(BenchCluster.ServerName, cluster.ServerConnectionString, cancellationToken);
                workspace = (await platform.ProvisionAsync([Slug], _ => { }, cancellationToken))[0];
            }

            var hostname = $"{Slug}.localhost";
            progress.WriteLine("documents: starting the web host (filesystem store)");
            await using var host = await WebHostProcess.StartAsync(configuration.GetSection("OnTrackio").AsEnumerable(), TimeSpan.FromSeconds(60), cancellationToken);
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(10) };

            await using var fileSide = Services(configuration, new Dictionary<string, string?>());
            var fileStore = fileSide.GetRequiredService<ObjectStores>().ForRegion(CatalogDbContext.DefaultRegionId);
            var key = ObjectKey.For(workspace.Id, $"documents/{Guid.NewGuid():N}");
            var baseUri = new Uri($"http://{hostname}:{host.BaseAddress.Port}");
            var put = await fileStore.SignUrlAsync(new SignedUrlRequest(key, SignedMethod.Put, DateTimeOffset.UtcNow.AddMinutes(30), baseUri), cancellationToken);
            var get = await fileStore.SignUrlAsync(new SignedUrlRequest(key, SignedMethod.Get, DateTimeOffset.UtcNow.AddMinutes(30), baseUri, "bench.bin"), cancellationToken);

            progress.WriteLine("documents: 100 MB up and down through the host's signed URLs");
            var (upload, uploadGrowth) = await MeasureAsync(host.ProcessId, () => SendAsync(client, HttpMethod.Put, Local(put, host), hostname, cancellationToken));
            var (download, downloadGrowth) = await MeasureAsync(host.ProcessId, () => SendAsync(client, HttpMethod.Get, Local(get, host), hostname, cancellationToken));
            AddThroughput(report, "Filesystem store upload (signed PUT via host)", upload, TargetMegabytesPerSecond);
            AddThroughput(report, "Filesystem store download (signed GET via host)", download, TargetMegabytesPerSecond);
            AddGrowth(report, "Web host peak memory growth, filesystem upload", uploadGrowth);
            AddGrowth(report, "Web host peak memory growth, filesystem download", downloadGrowth);

            progress.WriteLine("documents: 100 MB up and down through the S3 store (s3rver)");
            await using var s3Side = Services(configuration, s3Settings);
            var s3Store = s3Side.GetRequiredService<ObjectStores>().ForRegion(CatalogDbContext.DefaultRegionId);
            using (var s3 = new Amazon.S3.AmazonS3Client("S3RVER", "S3RVER", new Amazon.S3.AmazonS3Config { ServiceURL = s3Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
            {
                await s3.PutBucketAsync(bucket, cancellationToken);
            }

            var s3Key = ObjectKey.For(workspace.Id, $"documents/{Guid.NewGuid():N}");
            var s3Put = await s3Store.SignUrlAsync(new SignedUrlRequest(s3Key, SignedMethod.Put, DateTimeOffset.UtcNow.AddMinutes(30), baseUri), cancellationToken);
            var s3Get = await s3Store.SignUrlAsync(new SignedUrlRequest(s3Key, SignedMethod.Get, DateTimeOffset.UtcNow.AddMinutes(30), baseUri, "bench.bin"), cancellationToken);
            var (presignedUp, _) = await MeasureAsync(null, () => SendAsync(client, HttpMethod.Put, s3Put, null, cancellationToken));
            var (presignedDown, _) = await MeasureAsync(null, () => SendAsync(client, HttpMethod.Get, s3Get, null, cancellationToken));
            AddThroughput(report, "S3 presigned PUT, direct to s3rver (host not in path)", presignedUp, null);
            AddThroughput(report, "S3 presigned GET, direct to s3rver (host not in path)", presignedDown, null);

            var streamKey = ObjectKey.For(workspace.Id, $"documents/{Guid.NewGuid():N}");
            var (streamUp, streamUpGrowth) = await MeasureAsync(Environment.ProcessId, async () =>
            {
                await s3Store.PutAsync(streamKey, new GeneratedStream(FileBytes), "application/octet-stream", cancellationToken);
                return FileBytes;
            });
            var (streamDown, streamDownGrowth) = await MeasureAsync(Environment.ProcessId, async () =>
            {
                await using var stream = await s3Store.OpenReadAsync(streamKey, cancellationToken);
                return await DrainAsync(stream, cancellationToken);
            });
            AddThroughput(report, "S3 store streaming PutAsync (in bench process)", streamUp, null);
            AddThroughput(report, "S3 store streaming OpenReadAsync (in bench process)", streamDown, null);
            AddGrowth(report, "Bench process peak memory growth, S3 PutAsync", streamUpGrowth);
            AddGrowth(report, "Bench process peak memory growth, S3 OpenReadAsync", streamDownGrowth);

            report.Context("File", "100 MB (10^8 bytes) of generated bytes, streamed; never held whole by the sender");
            report.Context("Memory", "peak resident set (VmHWM) after the transfer minus the resident set before it, the peak reset first (/proc/<pid>/clear_refs)");
            report.Context("Machine", $"{Environment.ProcessorCount} cores, shared with other work while measured; S3 is s3rver (Node) on loopback, not AWS");
            return report;
        }
        finally
        {
            try
            {
                Directory.Delete(objects, recursive: true);
            }
            catch (IOException)
            {
                // Left in /tmp.
            }
        }
    }

    private static ServiceProvider Services(IConfiguration configuration, Dictionary<string, string?> overrides)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOnTrackioPlatform();
        services.AddObjectStorage();
        return services.BuildServiceProvider();
    }

    /// <summary>The URL's path and query on the host process's own address (the URL names the workspace host).</summary>
    private static Uri Local(Uri url, WebHostProcess host) => new(host.BaseAddress, url.PathAndQuery);

    private static async Task<long> SendAsync(HttpClient client, HttpMethod method, Uri url, string? hostHeader, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (method == HttpMethod.Put)
        {
            request.Content = new StreamContent(new GeneratedStream(FileBytes), 1024 * 1024);
            request.Content.Headers.ContentLength = FileBytes;
            request.Headers.Add(SignedUrlHeaders.ServerSideEncryption, SignedUrlHeaders.ServerSideEncryptionValue);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        if (method == HttpMethod.Put)
        {
            return FileBytes;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = await DrainAsync(body, cancellationToken);
        return read == FileBytes ? read : throw new InvalidOperationException($"GET returned {read} bytes, not {FileBytes}.");
    }

    private static async Task<long> DrainAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Times a transfer and, for a process id, its peak memory growth during it.</summary>
    private static async Task<(double MegabytesPerSecond, long GrowthBytes)> MeasureAsync(int? processId, Func<Task<long>> transfer)
    {
        long before = 0;
        if (processId is { } pid)
        {
            GC.Collect();
            await File.WriteAllTextAsync($"/proc/{pid}/clear_refs", "5");
            before = Status(pid, "VmRSS:");
        }

        var watch = Stopwatch.StartNew();
        var bytes = await transfer();
        watch.Stop();
        var growth = processId is { } id ? Status(id, "VmHWM:") - before : 0;
        return (bytes / 1_000_000.0 / watch.Elapsed.TotalSeconds, growth);
    }

    private static long Status(int pid, string field) =>
        1024 * long.Parse(
            File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim().Split(' ')[0],
            System.Globalization.CultureInfo.InvariantCulture);

    private static void AddThroughput(Report report, string name, double megabytesPerSecond, double? target) =>
        report.Add(new Figure(
            name,
            Invariant($"{megabytesPerSecond:0} MB/s"),
            target is { } t ? Invariant($">= {t:0} MB/s") : "(no target)",
            target is not { } minimum || megabytesPerSecond >= minimum));

    private static void AddGrowth(Report report, string name, long growth) =>
        report.Add(new Figure(name, Report.Megabytes(growth), "<= 50.0 MB", growth <= TargetGrowthBytes));

    /// <summary>A fixed number of pseudo-random bytes, generated as read from one 1 MiB block: nothing is held whole.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private static readonly byte[] Block = RandomNumberGenerator.GetBytes(1024 * 1024);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var written = 0;
            while (written < n)
            {
                var at = (int)((_position + written) % Block.Length);
                var take = Math.Min(n - written, Block.Length - at);
                Block.AsSpan(at, take).CopyTo(buffer[written..]);
                written += take;
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
