using System.Net;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Domains;

public sealed class DomainVerificationTests : IAsyncLifetime
{
    private readonly TestDnsServer _dns = new();
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private Guid _acme;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: c => c["OnTrackio:DomainVerification:DnsServers:0"] = _dns.Endpoint);
        _acme = (await _platform.CreateWorkspaceAsync("acme")).Id;
        await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync(c => c["OnTrackio:Tenancy:KnownProxies:0"] = "127.0.0.1");
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        _dns.Dispose();
    }

    [Fact]
    public async Task Verify_DnsTxtRecordHoldsToken_DomainStartsRouting()
    {
        var token = await AddAsync("acme", "dns.acme.example");
        _dns.AddTxt("_ontrackio-challenge.dns.acme.example", "unrelated value");
        _dns.AddTxt("_ontrackio-challenge.dns.acme.example", token);

        var result = await _platform.CliAsync("domain", "verify", "dns.acme.example", "--method", "dns");

        result.ShouldSucceed();
        Assert.Equal(_acme, await IdAtAsync("dns.acme.example"));
    }

    [Fact]
    public async Task Verify_HttpChallengeServedByThePlatform_DomainStartsRouting()
    {
        var token = await AddAsync("acme", "http.acme.example");

        // The customer points the hostname at the platform; the platform answers the challenge for a pending domain.
        _dns.AddA("http.acme.example", IPAddress.Loopback);
        var challenge = await _host.GetAsync("http.acme.example", $"/.well-known/ontrackio-domain/{token}");
        Assert.Equal(token, await challenge.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var result = await _platform.CliWithConfigAsync(c => c["OnTrackio:DomainVerification:HttpPort"] = _host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "domain", "verify", "http.acme.example", "--method", "http");

        result.ShouldSucceed();
        Assert.Equal(_acme, await IdAtAsync("http.acme.example"));
    }

    [Fact]
    public async Task Verify_WrongTokenOrNoRecord_IsRefusedAndDoesNotRoute()
    {
        await AddAsync("acme", "wrong.acme.example");
        _dns.AddTxt("_ontrackio-challenge.wrong.acme.example", "ontrackio-verify-00000000000000000000000000000000");

        // Points somewhere that is not the platform (nothing listens on 127.0.0.2 at the host's port).
        _dns.AddA("wrong.acme.example", IPAddress.Parse("127.0.0.2"));

        var result = await _platform.CliWithConfigAsync(c => c["OnTrackio:DomainVerification:HttpPort"] = _host.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "domain", "verify", "wrong.acme.example");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DNS:", result.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP:", result.Error, StringComparison.Ordinal);
        using var response = await _host.GetAsync("wrong.acme.example", "/api/v1/workspace", Https);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Challenge_IsAnsweredOnlyForItsOwnHostnameAndToken()
    {
        var acmeToken = await AddAsync("acme", "one.acme.example");
        var betaToken = await AddAsync("beta", "two.beta.example");

        using var swapped = await _host.GetAsync("one.acme.example", $"/.well-known/ontrackio-domain/{betaToken}");
        using var unknownHost = await _host.GetAsync("nobody.example", $"/.well-known/ontrackio-domain/{acmeToken}");
        using var own = await _host.GetAsync("one.acme.example", $"/.well-known/ontrackio-domain/{acmeToken}");

        Assert.Equal(HttpStatusCode.NotFound, swapped.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownHost.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Add_HostnameOfAnotherWorkspace_IsRefused()
    {
        await AddAsync("acme", "shared.example");

        var result = await _platform.CliAsync("domain", "add", "beta", "Shared.Example.");

        Assert.Equal(2, result.ExitCode);
        await using var catalog = _platform.Catalog();
        var owner = await catalog.Domains.Where(d => d.Hostname == "shared.example").Select(d => d.WorkspaceId).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(_acme, owner);
    }

    private async Task<string> AddAsync(string slug, string hostname)
    {
        (await _platform.CliAsync("domain", "add", slug, hostname)).ShouldSucceed();
        await using var catalog = _platform.Catalog();
        return await catalog.Domains.Where(d => d.Hostname == hostname).Select(d => d.VerificationToken).SingleAsync();
    }

    private Task<Guid> IdAtAsync(string host) => _host.WorkspaceIdAtAsync(host, Https);

    private static void Https(HttpRequestMessage request) => request.Headers.Add("X-Forwarded-Proto", "https");
}
