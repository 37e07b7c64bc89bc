using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OnTrackio.ApiTokens;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// <c>--tokens</c>: what an API token costs per request against a session cookie, on the same endpoint
/// (<c>GET /api/v1/assets?limit=1</c>, whose answer must carry the workspace's one asset). A token is checked against
/// the database on every request (its row, its owner and the owner's roles in one query), where a session's record is
/// cached for seconds: that query, the header's checksum and the SHA-256 are the difference measured.
/// </summary>
internal static class TokenFigures
{
    private const string Slug = "token-bench";
    private const string PlatformDomain = "localhost";
    private const string Path = "/api/v1/assets?limit=1";
    private const string Tag = "TOKEN-BENCH-1";
    private const int Rounds = 6;

    /// <summary>Far above what the load can reach, so that the figure measures authentication, not the limiter's refusals.</summary>
    private const string UnlimitedPerMinute = "100000000";

    public static async Task<Report> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var cluster = BenchCluster.FromEnvironment();
        var settings = cluster.PlatformSettings();
        settings["OnTrackio:Tenancy:PlatformDomain"] = PlatformDomain;
        settings["OnTrackio:ApiTokens:RequestsPerMinutePerToken"] = UnlimitedPerMinute;
        settings["OnTrackio:ApiTokens:RequestsPerMinutePerWorkspace"] = UnlimitedPerMinute;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).AddEnvironmentVariables().Build();
        var report = new Report();

        ProvisionedWorkspace workspace;
        await using (var platform = new BenchPlatform(configuration))
        {
            await cluster.ResetAsync(platform.PostgresOptions.TemplateDatabase, cancellationToken);
            await platform.PrepareAsync(BenchCluster.ServerName, cluster.ServerConnectionString, cancellationToken);
            workspace = (await platform.ProvisionAsync([Slug], _ => { }, cancellationToken))[0];
        }

        progress.WriteLine("tokens: starting the web host");
        await using var host = await WebHostProcess.StartAsync(configuration.GetSection("OnTrackio").AsEnumerable(), TimeSpan.FromSeconds(60), cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var owner = await IdentityFigures.AcceptAsync(client, workspace, cancellationToken);

        progress.WriteLine("tokens: an asset to list, and a token that may read it");
        var model = await PostAsync(client, owner, "/api/v1/models", new { name = "Bench model", categoryId = Register.ReferenceDefaults.Laptops }, cancellationToken);
        await PostAsync(client, owner, "/api/v1/assets",
            new { tag = Tag, name = "Bench laptop", modelId = model.GetProperty("id").GetGuid(), statusLabelId = Register.ReferenceDefaults.ReadyToDeploy }, cancellationToken);
        var created = await PostAsync(client, owner, "/api/v1/tokens", new CreateApiTokenRequest("bench", ["assets:read"], 30), cancellationToken);
        var token = created.GetProperty("token").GetString()!;

        var fragment = $"\"tag\":\"{Tag}\"";
        var withCookie = new LoadTarget(owner.Host, fragment, Path, Cookie: owner.Cookie);
        var withToken = new LoadTarget(owner.Host, fragment, Path, Authorization: "Bearer " + token);
        using var load = new LoadGenerator(host.BaseAddress, options.Concurrency);
        foreach (var target in new[] { withCookie, withToken })
        {
            var warm = await load.RunAsync([target], options.Concurrency, TimeSpan.FromSeconds(2), cancellationToken);
            if (warm.Failed > 0)
            {
                throw new InvalidOperationException($"warming {(target.Cookie is null ? "the token" : "the session")} failed: {string.Join("; ", warm.Errors.Keys)}");
            }
        }

        progress.WriteLine(Invariant($"tokens: load, {options.Concurrency} workers, {options.Seconds} s per side in {Rounds} rounds"));
        var (cookieSide, tokenSide) = (LoadResult.Empty, LoadResult.Empty);
        var each = TimeSpan.FromSeconds(options.Seconds) / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            // Alternated, so that drift on a shared machine falls on both sides alike.
            cookieSide = cookieSide.Add(await load.RunAsync([withCookie], options.Concurrency, each, cancellationToken));
            tokenSide = tokenSide.Add(await load.RunAsync([withToken], options.Concurrency, each, cancellationToken));
        }

        // The same on an endpoint that does almost nothing (one read of the workspace's profile), where authentication is
        // most of each request: what a token's check costs, set against a session's and against none.
        var workspaceFragment = $"\"id\":\"{workspace.Id}\"";
        var bare = new[]
        {
            new LoadTarget(owner.Host, workspaceFragment),
            new LoadTarget(owner.Host, workspaceFragment, Cookie: owner.Cookie),
            new LoadTarget(owner.Host, workspaceFragment, Authorization: "Bearer " + token),
        };
        var bareResults = new[] { LoadResult.Empty, LoadResult.Empty, LoadResult.Empty };
        for (var round = 0; round < Rounds; round++)
        {
            for (var side = 0; side < bare.Length; side++)
            {
                bareResults[side] = bareResults[side].Add(await load.RunAsync([bare[side]], options.Concurrency, each / 2, cancellationToken));
            }
        }

        var ratio = cookieSide.RequestsPerSecond > 0 ? tokenSide.RequestsPerSecond / cookieSide.RequestsPerSecond : 0;
        var failed = cookieSide.Failed + tokenSide.Failed;
        report.Add(new Figure(
            "req/s GET /api/v1/assets?limit=1 with an API token ÷ the same with a session cookie",
            Invariant($"{ratio:0.00}"),
            "≥ 0.9",
            ratio >= 0.9,
            failed == 0 ? null : Invariant($"{failed} failed requests")));
        report.Context("With a session cookie", Describe(cookieSide));
        report.Context("With an API token", Describe(tokenSide));
        report.Context("GET /api/v1/workspace", Invariant(
            $"anonymous {bareResults[0].RequestsPerSecond:0} req/s, session cookie {bareResults[1].RequestsPerSecond:0} req/s, API token {bareResults[2].RequestsPerSecond:0} req/s") +
            (bareResults.Sum(r => r.Failed) == 0 ? ", no errors" : Invariant($", {bareResults.Sum(r => r.Failed)} ERRORS")));
        report.Context("Load", Invariant(
            $"one workspace, {options.Concurrency} workers in closed loop, {options.Seconds} s per side in {Rounds} alternating rounds; token rate limits raised to {UnlimitedPerMinute} a minute for the run"));
        report.Context("Token format check alone", FormatCheck(token));
        report.Context("Machine", $"{Environment.ProcessorCount} CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        report.Context("Database", await cluster.DescribeAsync(cancellationToken));
        report.Context("Benchmark duration", Report.Seconds(total.Elapsed));
        foreach (var line in host.RecentOutput())
        {
            report.Context("Web host said", line);
        }

        return report;
    }

    /// <summary>The part of a token's check that needs no database: format, checksum, and the secret's SHA-256 compared.</summary>
    private static string FormatCheck(string token)
    {
        const int Checks = 100_000;
        var hash = ApiTokenFormat.TryParse(token, out _, out var secret) ? ApiTokenFormat.Hash(secret) : throw new InvalidOperationException("The bench token does not parse.");
        var started = Stopwatch.GetTimestamp();
        var matched = 0;
        for (var i = 0; i < Checks; i++)
        {
            matched += ApiTokenFormat.TryParse(token, out _, out var s) && ApiTokenFormat.Matches(s, hash) ? 1 : 0;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return Invariant($"{elapsed.TotalMicroseconds / Checks:0.0} µs per token (parse, CRC-32, SHA-256, constant-time compare; {matched:N0} of {Checks:N0} matched), in this process");
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, IdentityFigures.Owner owner, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Host = owner.Host;
        request.Headers.Add("Cookie", owner.Cookie);
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(Invariant($"POST {path} answered {(int)response.StatusCode}: {text}"));
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    private static string Describe(LoadResult result) =>
        Invariant($"{result.RequestsPerSecond:0} req/s, {result.Succeeded} answers in {Report.Seconds(result.Elapsed)}") +
        (result.Failed == 0 ? ", no errors" : Invariant($", {result.Failed} ERRORS: ") + string.Join("; ", result.Errors.Take(3).Select(e => Invariant($"{e.Value} × {e.Key}"))));
}
