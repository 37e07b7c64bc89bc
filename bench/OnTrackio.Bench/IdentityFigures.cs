using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using static System.FormattableString;

namespace OnTrackio.Bench;

/// <summary>
/// The identity figures, against the web host in its own process: password sign-in latency (PBKDF2 by design), and
/// what a session costs per request: an authenticated endpoint's rate against an anonymous one of the same work.
/// </summary>
internal static partial class IdentityFigures
{
    /// <summary>Sign-in is limited per workspace and client address, so the samples are spread over several workspaces.</summary>
    public const int Workspaces = 10;

    /// <summary>With the invitation's acceptance, 9 of the 10 attempts a minute that each workspace allows one address.</summary>
    private const int SignInsPerWorkspace = 8;

    /// <summary>The first sign-ins of a fresh process pay for JIT and first connections; they are not the figure.</summary>
    private const int WarmUpSignIns = 5;

    private const int Rounds = 2;
    private const string Password = "a bench passphrase, long enough";
    private const string SessionCookie = "ontrackio.session";

    public static async Task MeasureAsync(
        IConfiguration configuration, IReadOnlyList<ProvisionedWorkspace> workspaces, BenchOptions options, Report report, TextWriter progress, CancellationToken cancellationToken)
    {
        progress.WriteLine("bench: identity: starting the web host");
        await using var host = await WebHostProcess.StartAsync(configuration.GetSection("OnTrackio").AsEnumerable(), TimeSpan.FromSeconds(60), cancellationToken);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false })
        {
            BaseAddress = host.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

        progress.WriteLine(Invariant($"bench: identity: accepting {Math.Min(Workspaces, workspaces.Count)} owner invitations"));
        var owners = new List<Owner>();
        foreach (var workspace in workspaces.Take(Workspaces))
        {
            owners.Add(await AcceptAsync(client, workspace, cancellationToken));
        }

        await SignInFigureAsync(client, owners, report, progress, cancellationToken);
        await SessionCostFigureAsync(host.BaseAddress, owners, options, report, progress, cancellationToken);
    }

    private static async Task SignInFigureAsync(HttpClient client, List<Owner> owners, Report report, TextWriter progress, CancellationToken cancellationToken)
    {
        progress.WriteLine(Invariant($"bench: identity: {owners.Count * SignInsPerWorkspace} password sign-ins, one at a time"));
        var times = new List<TimeSpan>();
        for (var round = 0; round < SignInsPerWorkspace; round++)
        {
            // Workspaces in turn, so that no one workspace's pool or cache is always the warm one.
            foreach (var owner in owners)
            {
                var browser = new Browser(client, owner.Host);
                var form = await browser.FormAsync("/account/sign-in", cancellationToken);
                var started = Stopwatch.GetTimestamp();
                using var response = await browser.PostAsync("/account/sign-in", form, [("email", owner.Email), ("password", Password)], cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException(Invariant($"Sign-in at {owner.Host} answered {(int)response.StatusCode}, not a redirect."));
                }

                times.Add(elapsed);
            }
        }

        var measured = times.Skip(WarmUpSignIns).Order().ToList();
        var hash = HashAlone();
        var (p50, p95) = (Percentile(measured, 0.50), Percentile(measured, 0.95));
        report.Add(new Figure(
            Invariant($"Password sign-in, p50 / p95 ({measured.Count} sign-ins, one at a time)"),
            $"{Report.Milliseconds(p50)} / {Report.Milliseconds(p95)}",
            "p50 100–400 ms",

            // The issue states the target for the median; p95 is printed beside it for the tail.
            p50 >= TimeSpan.FromMilliseconds(100) && p50 <= TimeSpan.FromMilliseconds(400)));
        report.Context("Sign-in", Invariant(
            $"POST /account/sign-in over HTTP, {owners.Count} workspaces in turn, first {WarmUpSignIns} left out; min {Report.Milliseconds(measured[0])}, max {Report.Milliseconds(measured[^1])}; PBKDF2-HMAC-SHA512 at {Identity.IdentityServiceCollectionExtensions.PasswordHashIterations:N0} iterations alone, median of 5 in this process: {Report.Milliseconds(hash)}"));
    }

    /// <summary>
    /// GET /api/v1/me with a session against GET /api/v1/workspace without one, each over every owner's workspace; then
    /// /api/v1/workspace with and without the cookie, which isolates the session checks (cookie, stamp, server-side record).
    /// </summary>
    private static async Task SessionCostFigureAsync(
        Uri baseAddress, List<Owner> owners, BenchOptions options, Report report, TextWriter progress, CancellationToken cancellationToken)
    {
        var anonymous = owners.Select(o => new LoadTarget(o.Host, o.WorkspaceFragment)).ToList();
        var me = owners.Select(o => new LoadTarget(o.Host, o.UserFragment, "/api/v1/me", o.Cookie)).ToList();
        var withCookie = owners.Select(o => new LoadTarget(o.Host, o.WorkspaceFragment, LoadTarget.WorkspacePath, o.Cookie)).ToList();

        using var load = new LoadGenerator(baseAddress, options.Concurrency);
        foreach (var targets in new[] { anonymous, me, withCookie })
        {
            await load.WarmAsync(targets, 4, cancellationToken);
        }

        var duration = TimeSpan.FromSeconds(options.Seconds);
        progress.WriteLine(Invariant($"bench: identity: load, {options.Concurrency} workers, {options.Seconds} s each on anonymous, authenticated and cookie-only"));
        var (a, m, c) = (LoadResult.Empty, LoadResult.Empty, LoadResult.Empty);
        var each = duration / Rounds;
        for (var round = 0; round < Rounds; round++)
        {
            // Alternated, so that drift on a shared machine falls on every side alike.
            a = a.Add(await load.RunAsync(anonymous, options.Concurrency, each, cancellationToken));
            m = m.Add(await load.RunAsync(me, options.Concurrency, each, cancellationToken));
            c = c.Add(await load.RunAsync(withCookie, options.Concurrency, each, cancellationToken));
        }

        var ratio = a.RequestsPerSecond > 0 ? m.RequestsPerSecond / a.RequestsPerSecond : 0;
        var sessionOnly = a.RequestsPerSecond > 0 ? c.RequestsPerSecond / a.RequestsPerSecond : 0;
        var failed = a.Failed + m.Failed + c.Failed;
        // The figure is one endpoint with and without a session, so that the difference is the session checks
        // alone; /me against /workspace also counts /me's own query, and is printed beside it for what it shows.
        report.Add(new Figure(
            "req/s GET /api/v1/workspace with a session ÷ the same anonymous",
            Invariant($"{sessionOnly:0.00}"),
            "≥ 0.85",
            sessionOnly >= 0.85,
            failed == 0 ? null : Invariant($"{failed} failed requests")));

        report.Context("Session load", Invariant(
            $"{owners.Count} workspaces round-robin, {options.Concurrency} workers in closed loop, {options.Seconds} s per side in {Rounds} rounds"));
        report.Context("Anonymous", Describe(a) + " (GET /api/v1/workspace)");
        report.Context("With a session", Describe(c) + " (GET /api/v1/workspace, session cookie)");
        report.Context("Another endpoint", Describe(m) + Invariant($" (GET /api/v1/me, session cookie, reads the user and roles): {ratio:0.00} of anonymous /workspace"));
    }

    /// <summary>Accepts a workspace's owner invitation over HTTP and returns the signed-in owner (the register figures start so too).</summary>
    internal static async Task<Owner> AcceptAsync(HttpClient client, ProvisionedWorkspace workspace, CancellationToken cancellationToken)
    {
        var host = $"{workspace.Slug}.localhost";
        var browser = new Browser(client, host);
        var path = new Uri(workspace.InvitationLink).AbsolutePath;
        var form = await browser.FormAsync(path, cancellationToken);
        using (var accepted = await browser.PostAsync(path, form, [("password", Password)], cancellationToken))
        {
            if (accepted.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException(Invariant($"Accepting the invitation at {host} answered {(int)accepted.StatusCode}."));
            }
        }

        var cookie = browser.CookieHeader(SessionCookie);
        using var me = await browser.GetAsync("/api/v1/me", cancellationToken);
        using var json = JsonDocument.Parse(await me.Content.ReadAsStringAsync(cancellationToken));
        var userId = json.RootElement.GetProperty("id").GetGuid();
        var email = json.RootElement.GetProperty("email").GetString()!;
        return new Owner(host, email, cookie, $"\"id\":\"{workspace.Id}\"", $"\"id\":\"{userId}\"");
    }

    /// <summary>The hash a sign-in verifies, without HTTP, database or cookie, to show how much of a sign-in it is.</summary>
    private static TimeSpan HashAlone()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            Rfc2898DeriveBytes.Pbkdf2(Password, salt, Identity.IdentityServiceCollectionExtensions.PasswordHashIterations, HashAlgorithmName.SHA512, 32);
            times.Add(Stopwatch.GetElapsedTime(started));
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    private static string Describe(LoadResult result) =>
        Invariant($"{result.RequestsPerSecond:0} req/s, {result.Succeeded} answers in {Report.Seconds(result.Elapsed)}") +
        (result.Failed == 0 ? ", no errors" : Invariant($", {result.Failed} ERRORS: ") + string.Join("; ", result.Errors.Take(3).Select(e => Invariant($"{e.Value} × {e.Key}"))));

    private static TimeSpan Percentile(List<TimeSpan> sorted, double share) =>
        sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];

    internal sealed record Owner(string Host, string Email, string Cookie, string WorkspaceFragment, string UserFragment);

    /// <summary>What a browser keeps for one workspace host: cookies by name. The Host header names the workspace.</summary>
    private sealed partial class Browser(HttpClient client, string host)
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public string CookieHeader(string name) =>
            _cookies.TryGetValue(name, out var value) ? $"{name}={value}" : throw new InvalidOperationException($"No {name} cookie from {host}.");

        public async Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken)
        {
            using var request = Request(HttpMethod.Get, path);
            return Remember(await client.SendAsync(request, cancellationToken));
        }

        /// <summary>Loads a form and returns its anti-forgery token.</summary>
        public async Task<string> FormAsync(string path, CancellationToken cancellationToken)
        {
            using var page = await GetAsync(path, cancellationToken);
            var html = await page.Content.ReadAsStringAsync(cancellationToken);
            return AntiforgeryToken().Match(html) is { Success: true } match
                ? WebUtility.HtmlDecode(match.Groups[1].Value)
                : throw new InvalidOperationException(Invariant($"No form at {host}{path} ({(int)page.StatusCode})."));
        }

        public async Task<HttpResponseMessage> PostAsync(string path, string token, (string Name, string Value)[] fields, CancellationToken cancellationToken)
        {
            using var request = Request(HttpMethod.Post, path);
            request.Content = new FormUrlEncodedContent(
                fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));
            return Remember(await client.SendAsync(request, cancellationToken));
        }

        private HttpRequestMessage Request(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Host = host;
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            return request;
        }

        private HttpResponseMessage Remember(HttpResponseMessage response)
        {
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
            }

            return response;
        }

        [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
        private static partial Regex AntiforgeryToken();
    }
}
