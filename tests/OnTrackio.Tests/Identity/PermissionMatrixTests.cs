using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

/// <summary>One workspace with a signed-in user of every role, shared by the matrix's tests (hashing passwords is slow by design).</summary>
public sealed class MatrixWorkspace : IAsyncLifetime
{
    public const string Password = "a long enough passphrase";

    public Dictionary<string, BrowserSession> Sessions { get; } = [];

    public TestPlatform Platform { get; private set; } = null!;

    public TestWebHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Platform = await TestPlatform.PostgresAsync();
        var workspace = await Platform.CreateWorkspaceAsync("matrix");
        Host = await Platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(Host, workspace.InvitationLink, Password);

        Sessions[WorkspaceRoles.Owner] = owner;
        foreach (var role in WorkspaceRoles.All.Select(r => r.Name).Where(r => r != WorkspaceRoles.Owner))
        {
            using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest($"{role.ToLowerInvariant()}@matrix.example", role));
            var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
            Sessions[role] = await BrowserSession.AcceptInvitationAsync(Host, issued!.Link, Password);
        }
    }

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>Every endpoint and page, with every role, against the expected allow/deny matrix.</summary>
public sealed class PermissionMatrixTests(MatrixWorkspace matrix) : IClassFixture<MatrixWorkspace>
{
    private static readonly string[] Roles = [.. WorkspaceRoles.All.Select(r => r.Name)];
    private static int s_invited;

    public static TheoryData<string, string, string, string[]> Matrix() => new()
    {
        // method, path, status for the roles listed, and that status's opposite for the rest
        { "GET", "/api/v1/me", "200", Roles },
        { "GET", "/api/v1/users", "200", [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor] },
        { "POST", "/api/v1/invitations", "200", [WorkspaceRoles.Owner, WorkspaceRoles.Admin] },
        { "GET", "/account/sessions", "200", Roles },
        { "GET", "/", "200", Roles },
        { "GET", "/api/v1/workspace", "200", Roles },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_WithEveryRole_MatchesTheMatrix(string method, string path, string allowed, string[] allowedRoles)
    {
        foreach (var role in Roles)
        {
            using var response = await SendAsync(matrix.Sessions[role], method, path);
            var expected = allowedRoles.Contains(role) ? int.Parse(allowed, System.Globalization.CultureInfo.InvariantCulture) : StatusCodes.Status403Forbidden;
            Assert.True((int)response.StatusCode == expected, $"{role} {method} {path}: expected {expected}, got {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("GET", "/api/v1/me", 401)]
    [InlineData("GET", "/api/v1/users", 401)]
    [InlineData("POST", "/api/v1/invitations", 401)]
    [InlineData("GET", "/account/sessions", 302)]
    [InlineData("GET", "/", 200)]
    public async Task Endpoint_Anonymous_IsRefusedUnlessPublic(string method, string path, int expected)
    {
        using var response = await SendAsync(new BrowserSession(matrix.Host, "matrix.localhost"), method, path);

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task Admin_CannotInviteAnOwner_ButAnOwnerCan()
    {
        using var byAdmin = await PostJsonAsync(matrix.Sessions[WorkspaceRoles.Admin], "/api/v1/invitations", new InviteColleagueRequest("boss1@matrix.example", WorkspaceRoles.Owner));
        using var byOwner = await PostJsonAsync(matrix.Sessions[WorkspaceRoles.Owner], "/api/v1/invitations", new InviteColleagueRequest("boss2@matrix.example", WorkspaceRoles.Owner));

        Assert.Equal(HttpStatusCode.BadRequest, byAdmin.StatusCode);
        Assert.Equal("application/problem+json", byAdmin.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
    }

    [Fact]
    public void EveryEndpoint_DeclaresWhoMayUseIt()
    {
        var endpoints = matrix.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var undeclared = endpoints
            .Where(e => e.Metadata.GetMetadata<ServedOnAnyHostAttribute>() is null
                && e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && e.Metadata.GetMetadata<IAuthorizeData>() is null)
            .Select(e => e.RoutePattern.RawText)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.True(undeclared.Count == 0, $"Endpoints that say nothing about access: {string.Join(", ", undeclared)}");
    }

    private static Task<HttpResponseMessage> SendAsync(BrowserSession session, string method, string path) =>
        method == "POST"
            ? PostJsonAsync(session, path, new InviteColleagueRequest($"new{Interlocked.Increment(ref s_invited)}@matrix.example", WorkspaceRoles.Member))
            : session.GetAsync(path);

    private static Task<HttpResponseMessage> PostJsonAsync<T>(BrowserSession session, string path, T body) => session.PostJsonAsync(path, body);
}
