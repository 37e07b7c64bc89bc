using System.Net;
using OnTrackio.Databases;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Tenancy;

/// <summary>
/// Two workspaces on two different PostgreSQL servers (one reached over TLS), each seeded with its own data: every
/// path into A sees only A, and the same for B — API, pages, and invitation links carried to the other host.
/// </summary>
public sealed class CrossWorkspaceTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _a = null!;
    private CreatedWorkspace _b = null!;
    private string _aExtraToken = null!;
    private string _bExtraToken = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync([TestCluster.A, TestCluster.B]);
        _a = await _platform.CreateWorkspaceAsync("alpha", "Alpha Corp");
        _b = await _platform.CreateWorkspaceAsync("bravo", "Bravo GmbH");
        Assert.NotEqual(_a.ServerName, _b.ServerName);
        _aExtraToken = await SeedInvitationAsync(_a, "someone@alpha.example");
        _bExtraToken = await SeedInvitationAsync(_b, "someone@bravo.example");
        _host = await _platform.StartWebHostAsync();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Api_EachHostAnswersFromItsOwnDatabaseOnItsOwnServer()
    {
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(_a.Id, await _host.WorkspaceIdAtAsync("alpha.localhost"));
            Assert.Equal(_b.Id, await _host.WorkspaceIdAtAsync("bravo.localhost"));
        }
    }

    [Fact]
    public async Task HomePage_ShowsOnlyTheHostsWorkspace()
    {
        var alpha = await (await _host.GetAsync("alpha.localhost", "/")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var bravo = await (await _host.GetAsync("bravo.localhost", "/")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("Alpha Corp", alpha, StringComparison.Ordinal);
        Assert.DoesNotContain("Bravo", alpha, StringComparison.Ordinal);
        Assert.Contains("Bravo GmbH", bravo, StringComparison.Ordinal);
        Assert.DoesNotContain("Alpha", bravo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvitationLinks_OpenOnlyOnTheirOwnWorkspacesHost()
    {
        var aOwner = InvitationLink.TokenOf(_a.InvitationLink);
        var bOwner = InvitationLink.TokenOf(_b.InvitationLink);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync("alpha.localhost", aOwner));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("alpha.localhost", _aExtraToken));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("bravo.localhost", bOwner));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("bravo.localhost", _bExtraToken));

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("bravo.localhost", aOwner));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("bravo.localhost", _aExtraToken));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("alpha.localhost", bOwner));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync("alpha.localhost", _bExtraToken));
    }

    [Fact]
    public async Task InvitationPage_ShowsTheHostsOwnInvitee()
    {
        using var response = await _host.GetAsync("alpha.localhost", $"/invitations/{_aExtraToken}");
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("someone@alpha.example", body, StringComparison.Ordinal);
        Assert.DoesNotContain("bravo", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> StatusAsync(string host, string token)
    {
        using var response = await _host.GetAsync(host, $"/invitations/{token}");
        return response.StatusCode;
    }

    private async Task<string> SeedInvitationAsync(CreatedWorkspace workspace, string email)
    {
        await using var catalog = _platform.Catalog();
        var row = await catalog.Workspaces.FindAsync([workspace.Id], TestContext.Current.CancellationToken);
        var server = await catalog.DatabaseServers.FindAsync([row!.ServerId], TestContext.Current.CancellationToken);
        await using var db = _platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server!));
        var token = IssueInvitation.Add(db, email, "Member", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return token;
    }
}
