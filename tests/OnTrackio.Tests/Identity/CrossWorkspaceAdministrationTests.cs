using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Catalog;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

/// <summary>Workspace A's administrator, holding the same address as B's, can neither see nor touch B's users or invitations.</summary>
public sealed class CrossWorkspaceAdministrationTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private const string SharedEmail = "it@shared.example";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _acme = null!;
    private BrowserSession _beta = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync();
        _acme = await AcceptedAsync("acme");
        _beta = await AcceptedAsync("beta");
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task AdminOfA_CannotSeeOrChangeUsersOfB_ThroughPagesOrApi()
    {
        var betaOwner = await IdOfAsync(_beta);
        using (await _beta.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("colleague@beta.example", WorkspaceRoles.Member)))
        {
        }

        using var betaInvitations = await _beta.GetAsync("/api/v1/invitations");
        var betaInvitation = Assert.Single((await betaInvitations.Content.ReadFromJsonAsync<List<PendingInvitation>>(TestContext.Current.CancellationToken))!);
        using var acmeUsers = await _acme.GetAsync("/api/v1/users");
        var listed = (await acmeUsers.Content.ReadFromJsonAsync<List<UserSummary>>(TestContext.Current.CancellationToken))!;

        Assert.DoesNotContain(listed, u => u.Id == betaOwner);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.GetAsync($"/settings/users/{betaOwner}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.SubmitAsync($"/settings/users/{betaOwner}?handler=Lock", BrowserSession.Form(), tokenFrom: "/settings/users")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.PostJsonAsync($"/api/v1/users/{betaOwner}/lock", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _acme.PutJsonAsync($"/api/v1/users/{betaOwner}/roles", new ChangeUserRolesRequest([WorkspaceRoles.Member]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.SendAsync(HttpMethod.Delete, $"/api/v1/invitations/{betaInvitation.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _acme.SubmitAsync(
            $"/settings/invitations?handler=Revoke&id={betaInvitation.Id}", BrowserSession.Form(), tokenFrom: "/settings/invitations")).StatusCode);
        Assert.DoesNotContain("colleague@beta.example", await (await _acme.GetAsync("/settings/invitations")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var betaAfter = await _beta.GetAsync("/api/v1/users");
        var betaOwnerAfter = Assert.Single((await betaAfter.Content.ReadFromJsonAsync<List<UserSummary>>(TestContext.Current.CancellationToken))!);
        Assert.False(betaOwnerAfter.LockedOut);
        Assert.Equal([WorkspaceRoles.Owner], betaOwnerAfter.Roles);
        Assert.Single((await (await _beta.GetAsync("/api/v1/invitations")).Content.ReadFromJsonAsync<List<PendingInvitation>>(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task AdminCookieOfA_OnBsHost_IsNobody()
    {
        var carried = new BrowserSession(_host, "beta.localhost");
        carried.SetCookie("ontrackio.session", _acme.Cookies["ontrackio.session"]);

        Assert.Equal(HttpStatusCode.Redirect, (await carried.GetAsync("/settings/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carried.GetAsync("/api/v1/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carried.PostJsonAsync($"/api/v1/users/{await IdOfAsync(_beta)}/lock", new { })).StatusCode);
    }

    private static async Task<Guid> IdOfAsync(BrowserSession session)
    {
        using var me = await session.GetAsync("/api/v1/me");
        return (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Id;
    }

    private async Task<BrowserSession> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, SharedEmail), CancellationToken.None));
        return await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
    }
}
