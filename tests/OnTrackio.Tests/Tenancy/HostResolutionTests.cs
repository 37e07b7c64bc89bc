using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Databases;
using OnTrackio.Domains;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Tenancy;

/// <summary>Hostile and unusual hosts against a real web host, with two workspaces that must never be confused.</summary>
public sealed class HostResolutionTests : IAsyncLifetime
{
    private readonly TestDnsServer _dns = new();
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private TestWebHost _proxied = null!;
    private Guid _acme;
    private Guid _beta;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: c => c["OnTrackio:DomainVerification:DnsServers:0"] = _dns.Endpoint);
        _acme = (await _platform.CreateWorkspaceAsync("acme")).Id;
        _beta = (await _platform.CreateWorkspaceAsync("beta")).Id;
        _host = await _platform.StartWebHostAsync();

        // Behind a (test) load balancer on loopback that terminates TLS, as custom domains are served in production.
        _proxied = await _platform.StartWebHostAsync(c => c["OnTrackio:Tenancy:KnownProxies:0"] = "127.0.0.1");
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        _dns.Dispose();
    }

    [Theory]
    [InlineData("acme.localhost")]
    [InlineData("ACME.LOCALHOST")]
    [InlineData("acme.localhost.")]
    [InlineData("acme.localhost:5080")]
    [InlineData("AcMe.LocalHost.:1")]
    public async Task Request_HostVariantsOfOneWorkspace_ResolveToThatWorkspace(string host) =>
        Assert.Equal(_acme, await _host.WorkspaceIdAtAsync(host));

    [Fact]
    public async Task Request_UnknownHost_Is404ProblemBeforeAnyWorkspaceDatabaseIsOpened()
    {
        using var response = await _host.GetAsync("nobody.localhost", "/api/v1/workspace");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, OpenedWorkspaceDatabases(_host));
    }

    [Theory]
    [InlineData("acme.localhost/../beta")]
    [InlineData("acme_x.localhost")]
    [InlineData("[::1")]
    public async Task Request_MalformedHost_IsRefused(string host)
    {
        // HttpClient will not send such a header, so it goes out as raw bytes, as a hostile client would send it.
        var status = await _host.RawGetAsync(host, "/api/v1/workspace");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(0, OpenedWorkspaceDatabases(_host));
    }

    [Fact]
    public async Task Request_UnverifiedDomain_Is404AndTouchesNoWorkspaceDatabase()
    {
        (await _platform.CliAsync("domain", "add", "acme", "pending.acme.example")).ShouldSucceed();

        using var response = await _proxied.GetAsync("pending.acme.example", "/api/v1/workspace", ForwardedAsHttps);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, OpenedWorkspaceDatabases(_proxied));
    }

    [Fact]
    public async Task Request_ForwardedHostFromUntrustedPeer_IsIgnored()
    {
        using var response = await _host.GetAsync("acme.localhost", "/api/v1/workspace", request =>
        {
            request.Headers.Add("X-Forwarded-Host", "beta.localhost");
            request.Headers.Add("X-Forwarded-Proto", "https");
        });

        Assert.Equal(_acme, await ReadIdAsync(response));
    }

    [Fact]
    public async Task Request_ForwardedHostFromConfiguredProxy_IsBelieved()
    {
        using var response = await _proxied.GetAsync("acme.localhost", "/api/v1/workspace", request =>
            request.Headers.Add("X-Forwarded-Host", "beta.localhost"));

        Assert.Equal(_beta, await ReadIdAsync(response));
    }

    [Fact]
    public async Task Request_WorkspaceNamedInQueryCookieHeaderOrBody_IsIgnored()
    {
        using var response = await _host.GetAsync("acme.localhost", $"/api/v1/workspace?workspace=beta&workspaceId={_beta}", request =>
        {
            request.Headers.Add("Cookie", $"workspace=beta; workspace_id={_beta}");
            request.Headers.Add("X-Workspace", "beta");
            request.Headers.Add("X-Workspace-Id", _beta.ToString());
            request.Content = new StringContent($$"""{"workspace":"beta","workspaceId":"{{_beta}}"}""");
        });

        Assert.Equal(_acme, await ReadIdAsync(response));
    }

    [Fact]
    public async Task Request_RemovedDomain_StopsRoutingImmediately()
    {
        var pending = await _platform.InScopeAsync(s => s.GetRequiredService<AddDomain>().ExecuteAsync("acme", "assets.acme.example", CancellationToken.None));
        _dns.AddTxt(pending.DnsRecord, pending.VerificationToken);
        (await _platform.CliAsync("domain", "verify", "assets.acme.example")).ShouldSucceed();
        Assert.Equal(_acme, await _proxied.WorkspaceIdAtAsync("assets.acme.example", ForwardedAsHttps));

        using (var secure = await _proxied.GetAsync("assets.acme.example", "/", ForwardedAsHttps))
        {
            Assert.True(secure.Headers.Contains("Strict-Transport-Security"), "HSTS is sent on HTTPS to a custom domain");
        }

        var removed = await _platform.CliAsync("domain", "remove", "assets.acme.example");

        Assert.Equal(0, removed.ExitCode);
        using var response = await _proxied.GetAsync("assets.acme.example", "/api/v1/workspace", ForwardedAsHttps);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Request_InternationalisedCustomDomain_RoutesByPunycode()
    {
        var pending = await _platform.InScopeAsync(s => s.GetRequiredService<AddDomain>().ExecuteAsync("beta", "Bücher.Example", CancellationToken.None));
        Assert.Equal("xn--bcher-kva.example", pending.Hostname);
        _dns.AddTxt(pending.DnsRecord, pending.VerificationToken);
        (await _platform.CliAsync("domain", "verify", "bücher.example")).ShouldSucceed();

        using var response = await _proxied.GetAsync("XN--BCHER-KVA.EXAMPLE.", "/api/v1/workspace", ForwardedAsHttps);

        Assert.Equal(_beta, await ReadIdAsync(response));
    }

    [Fact]
    public async Task Request_WorkspaceBehindTheCodesSchema_Is503WithRetryAfter()
    {
        await using (var catalog = _platform.Catalog())
        {
            var beta = await catalog.Workspaces.FindAsync([_beta], TestContext.Current.CancellationToken);
            beta!.SchemaVersion = "20000101000000_Older";
            await catalog.SaveChangesAsync(TestContext.Current.CancellationToken);
            await OnTrackio.Tenancy.RoutingChanges.BumpAsync(catalog, TestContext.Current.CancellationToken);
        }

        using var response = await _host.GetAsync("beta.localhost", "/api/v1/workspace");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("upgrade", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_PlainHttpToNonLoopbackHost_IsRedirectedToHttps()
    {
        await _platform.CliAsync("domain", "add", "acme", "plain.acme.example");

        using var get = await _host.GetAsync("plain.acme.example", "/some/page?x=1");
        using var post = await _host.SendAsync(HttpMethod.Post, "plain.acme.example", "/some/page");

        Assert.Equal(HttpStatusCode.PermanentRedirect, get.StatusCode);
        Assert.Equal("https://plain.acme.example/some/page?x=1", get.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthProbes_AnswerOnAnyHost(string path)
    {
        using var unknown = await _host.GetAsync("10.0.0.7", path);
        using var workspace = await _host.GetAsync("acme.localhost", path);

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, workspace.StatusCode);
    }

    [Fact]
    public async Task Readyz_CatalogUnreachable_Is503ButHealthzStays200()
    {
        await using var broken = await TestWebHost.StartAsync(new Dictionary<string, string?>(_platform.Configuration)
        {
            ["OnTrackio:Database:Postgres:CatalogConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2",
        });

        using var ready = await broken.GetAsync("acme.localhost", "/readyz");
        using var alive = await broken.GetAsync("acme.localhost", "/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    private static void ForwardedAsHttps(HttpRequestMessage request) => request.Headers.Add("X-Forwarded-Proto", "https");

    private static int OpenedWorkspaceDatabases(TestWebHost host) =>
        ((PostgresEngine)host.Services.GetRequiredService<IDatabaseEngine>()).DataSources.Count;

    private static Task<Guid> ReadIdAsync(HttpResponseMessage response) => TestWebHost.ReadWorkspaceIdAsync(response);
}
