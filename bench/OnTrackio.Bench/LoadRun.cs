using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace OnTrackio.Bench;

/// <summary>
/// A workspace to send load to, and the fragment its answer must carry to prove it came from that workspace's database;
/// optionally another path and a session cookie (the identity figures) or an Authorization header (the token figure).
/// </summary>
internal sealed record LoadTarget(string Host, string ExpectedFragment, string Path = LoadTarget.WorkspacePath, string? Cookie = null, string? Authorization = null)
{
    public const string WorkspacePath = "/api/v1/workspace";

    public static LoadTarget For(ProvisionedWorkspace workspace, string platformDomain) =>
        new($"{workspace.Slug}.{platformDomain}", $"\"id\":\"{workspace.Id}\"");
}

/// <summary>Answers counted over one or more timed runs; only correct answers count towards the rate.</summary>
internal sealed record LoadResult(long Succeeded, long Failed, TimeSpan Elapsed, IReadOnlyDictionary<string, long> Errors)
{
    public static LoadResult Empty { get; } = new(0, 0, TimeSpan.Zero, new Dictionary<string, long>());

    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Succeeded / Elapsed.TotalSeconds : 0;

    public LoadResult Add(LoadResult other)
    {
        var errors = new Dictionary<string, long>(Errors, StringComparer.Ordinal);
        foreach (var (error, count) in other.Errors)
        {
            errors[error] = errors.GetValueOrDefault(error) + count;
        }

        return new LoadResult(Succeeded + other.Succeeded, Failed + other.Failed, Elapsed + other.Elapsed, errors);
    }
}

/// <summary>
/// Sends <c>GET /api/v1/workspace</c> (or the target's path) to the web host, naming the workspace only by the Host header, from a fixed
/// number of workers that each keep one request in flight (a closed loop, so the rate is what the host sustains).
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _baseAddress;

    public LoadGenerator(Uri baseAddress, int concurrency)
    {
        _baseAddress = baseAddress;
        _client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>One request to each target, a few at a time, so that every workspace is warm before the timed runs.</summary>
    public async Task<LoadResult> WarmAsync(IReadOnlyList<LoadTarget> targets, int parallelism, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(
            targets,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (target, ct) => tally.Record(await SendAsync(target, ct)));
        return tally.Result(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Alternates runs on one workspace with runs spread over all of them, so that drift on a shared machine (other
    /// processes, tiered JIT, PostgreSQL caches) falls on both sides alike.
    /// </summary>
    public async Task<(LoadResult One, LoadResult All)> CompareAsync(
        LoadTarget one, IReadOnlyList<LoadTarget> all, int concurrency, TimeSpan duration, int rounds, CancellationToken cancellationToken)
    {
        var (single, spread) = (LoadResult.Empty, LoadResult.Empty);
        var each = duration / rounds;
        for (var round = 0; round < rounds; round++)
        {
            single = single.Add(await RunAsync([one], concurrency, each, cancellationToken));
            spread = spread.Add(await RunAsync(all, concurrency, each, cancellationToken));
        }

        return (single, spread);
    }

    /// <summary>Workers take the targets round-robin until the time is up; the run ends when the last answer is in.</summary>
    public async Task<LoadResult> RunAsync(IReadOnlyList<LoadTarget> targets, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(
                async () =>
                {
                    while (Stopwatch.GetElapsedTime(started) < duration)
                    {
                        var target = targets[(int)((uint)Interlocked.Increment(ref next) % (uint)targets.Count)];
                        tally.Record(await SendAsync(target, cancellationToken));
                    }
                },
                cancellationToken);
        }

        await Task.WhenAll(workers);
        return tally.Result(Stopwatch.GetElapsedTime(started));
    }

    public void Dispose() => _client.Dispose();

    /// <returns>Null for a correct answer, else what went wrong, worded so that equal failures group together.</returns>
    private async Task<string?> SendAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, target.Path));
            request.Headers.Host = target.Host;
            if (target.Cookie is not null)
            {
                request.Headers.Add("Cookie", target.Cookie);
            }

            if (target.Authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", target.Authorization);
            }

            using var response = await _client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"HTTP {(int)response.StatusCode} {ProblemTitle(body) ?? response.ReasonPhrase}";
            }

            return body.Contains(target.ExpectedFragment, StringComparison.Ordinal) ? null : "HTTP 200 with another workspace's id";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_client.Timeout.TotalSeconds:0} s";
        }
    }

    private static string? ProblemTitle(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("title", out var title)
                ? title.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Tally
    {
        private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
        private long _succeeded;
        private long _failed;

        public void Record(string? error)
        {
            if (error is null)
            {
                Interlocked.Increment(ref _succeeded);
                return;
            }

            Interlocked.Increment(ref _failed);
            _errors.AddOrUpdate(error, 1, (_, count) => count + 1);
        }

        public LoadResult Result(TimeSpan elapsed) =>
            new(Interlocked.Read(ref _succeeded), Interlocked.Read(ref _failed), elapsed, new Dictionary<string, long>(_errors, StringComparer.Ordinal));
    }
}
