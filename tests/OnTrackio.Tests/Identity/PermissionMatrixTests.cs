using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;

namespace OnTrackio.Tests.Identity;

/// <summary>One workspace with a signed-in user of every role, shared by the matrix's tests (hashing passwords is slow by design).</summary>
public sealed class MatrixWorkspace : IAsyncLifetime
{
    public const string Password = "a long enough passphrase";

    public Dictionary<string, BrowserSession> Sessions { get; } = [];

    public TestPlatform Platform { get; private set; } = null!;

    public TestWebHost Host { get; private set; } = null!;

    /// <summary>A Member whom the matrix locks, unlocks and re-roles; no test signs in as them.</summary>
    public Guid TargetUserId { get; private set; }

    /// <summary>An asset that the matrix reads and tries to check in (it is never checked out, so nothing changes).</summary>
    public Guid AssetId { get; private set; }

    /// <summary>A person that the matrix reads and whose page form it posts with a refused (blank) name.</summary>
    public Guid PersonId { get; private set; }

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

        using var invitedTarget = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("target@matrix.example", WorkspaceRoles.Member));
        var target = await BrowserSession.AcceptInvitationAsync(Host, (await invitedTarget.Content.ReadFromJsonAsync<IssuedInvitation>())!.Link, Password);
        using var me = await target.GetAsync("/api/v1/me");
        TargetUserId = (await me.Content.ReadFromJsonAsync<CurrentUser>())!.Id;
        AssetId = (await owner.CreateAssetAsync((await owner.CreateModelAsync()).Id)).Id;
        PersonId = (await owner.CreatePersonAsync("Matrix Person", "person@matrix.example")).Id;
    }

    public async ValueTask DisposeAsync() => await Platform.DisposeAsync();
}

/// <summary>Every endpoint and page, with every role, against the expected allow/deny matrix.</summary>
public sealed class PermissionMatrixTests(MatrixWorkspace matrix) : IClassFixture<MatrixWorkspace>
{
    private static readonly string[] Roles = [.. WorkspaceRoles.All.Select(r => r.Name)];
    private static readonly string[] UsersReaders = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor];
    private static readonly string[] UsersManagers = [WorkspaceRoles.Owner, WorkspaceRoles.Admin];
    private static readonly string[] SettingsReaders = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor];
    private static readonly string[] SettingsManagers = [WorkspaceRoles.Owner, WorkspaceRoles.Admin];
    private static readonly string[] RegisterReaders = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.AssetManager, WorkspaceRoles.Approver, WorkspaceRoles.Auditor];
    private static readonly string[] RegisterKeepers = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.AssetManager];
    private static readonly string[] AuditReaders = [WorkspaceRoles.Owner, WorkspaceRoles.Admin, WorkspaceRoles.Auditor];
    private static readonly string[] WebhookManagers = [WorkspaceRoles.Owner, WorkspaceRoles.Admin];
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
        { "GET", "/settings/users", "200", UsersReaders },
        { "GET", "/settings/users/{target}", "200", UsersReaders },
        { "GET", "/settings/invitations", "200", UsersReaders },
        { "GET", "/api/v1/invitations", "200", UsersReaders },
        { "POST", "/api/v1/users/{target}/lock", "204", UsersManagers },
        { "POST", "/api/v1/users/{target}/unlock", "204", UsersManagers },
        { "DELETE", "/api/v1/invitations/{invitation}", "204", UsersManagers },
        { "GET", "/account/profile", "200", Roles },
        { "GET", "/account/confirm-email", "200", Roles },
        { "GET", "/settings/security", "200", SettingsReaders },
        { "GET", "/settings/sso", "200", SettingsReaders },
        { "GET", "/account/security", "200", Roles },
        { "GET", "/account/mfa/setup", "200", Roles },
        { "GET", "/account/passkeys", "200", Roles },
        { "GET", "/api/v1/assets", "200", RegisterReaders },
        { "GET", "/api/v1/assets/{asset}", "200", RegisterReaders },
        { "GET", "/api/v1/assets/{asset}/history", "200", RegisterReaders },
        { "GET", "/api/v1/assets/export.csv", "200", RegisterReaders },
        { "GET", "/api/v1/people", "200", RegisterReaders },
        { "GET", "/api/v1/models", "200", RegisterReaders },
        { "GET", "/api/v1/status-labels", "200", RegisterReaders },
        { "GET", "/api/v1/locations", "200", RegisterReaders },
        { "GET", "/api/v1/people/{person}", "200", RegisterReaders },
        { "GET", "/api/v1/people/{person}/assets", "200", RegisterReaders },

        // The matrix posts an invitation's body: allowed roles reach the operation's validation (400), the rest are refused.
        { "POST", "/api/v1/assets", "400", RegisterKeepers },
        { "POST", "/api/v1/people", "400", RegisterKeepers },
        { "POST", "/api/v1/categories", "400", RegisterKeepers },
        { "POST", "/api/v1/assets/{asset}/checkin", "409", RegisterKeepers },
        { "POST", "/api/v1/assets/bulk/update", "400", RegisterKeepers },
        { "POST", "/api/v1/assets/bulk/checkout", "400", RegisterKeepers },
        { "POST", "/api/v1/assets/bulk/checkin", "400", RegisterKeepers },

        // A JSON body without If-Match: allowed roles get 428, before any change.
        { "PATCH", "/api/v1/assets/{asset}", "428", RegisterKeepers },
        { "GET", "/assets", "200", RegisterReaders },
        { "GET", "/assets/new", "200", RegisterKeepers },
        { "GET", "/assets/{asset}", "200", RegisterReaders },
        { "GET", "/assets/{asset}/edit", "200", RegisterKeepers },
        { "GET", "/people", "200", RegisterReaders },
        { "GET", "/people/new", "200", RegisterKeepers },
        { "GET", "/people/{person}", "200", RegisterReaders },
        { "GET", "/assets/bulk", "200", RegisterKeepers },
        { "GET", "/settings/reference", "200", RegisterReaders },
        { "GET", "/openapi/v1.json", "200", Roles },
        { "GET", "/settings/audit-log", "200", AuditReaders },
        { "GET", "/settings/audit-log/export", "200", AuditReaders },
        { "GET", "/settings/audit", "200", AuditReaders },
        { "GET", "/api/v1/audit-events", "200", AuditReaders },
        { "GET", "/api/v1/custom-fields", "200", RegisterReaders },
        { "GET", "/api/v1/custom-field-sets", "200", RegisterReaders },
        { "POST", "/api/v1/custom-fields", "400", RegisterKeepers },
        { "POST", "/api/v1/custom-field-sets", "400", RegisterKeepers },
        { "DELETE", "/api/v1/custom-fields/00000000-0000-7000-8000-00000000c0de", "404", RegisterKeepers },
        { "DELETE", "/api/v1/custom-field-sets/00000000-0000-7000-8000-00000000c0de", "404", RegisterKeepers },
        { "GET", "/settings/custom-fields", "200", RegisterReaders },
        { "GET", "/api/v1/assets/export.xlsx", "200", RegisterReaders },
        { "GET", "/assets/{asset}/label.png", "200", RegisterReaders },
        { "GET", "/assets/labels.pdf", "200", RegisterReaders },
        { "GET", "/assets/labels", "200", RegisterReaders },
        { "GET", "/api-reference/", "200", Roles },

        // Imports: the kind's own manage permission (assets, people, reference); an id this workspace lacks is 404 to them.
        { "GET", "/imports", "200", RegisterKeepers },
        { "GET", "/imports/0193d000-0000-7000-8000-00000000abcd", "404", RegisterKeepers },
        { "GET", "/api/v1/imports", "200", RegisterKeepers },
        { "POST", "/api/v1/imports", "415", RegisterKeepers },
        { "GET", "/api/v1/imports/0193d000-0000-7000-8000-00000000abcd", "404", RegisterKeepers },
        { "POST", "/api/v1/imports/0193d000-0000-7000-8000-00000000abcd/commit", "404", RegisterKeepers },
        { "DELETE", "/api/v1/imports/0193d000-0000-7000-8000-00000000abcd", "404", RegisterKeepers },
        { "GET", "/api/v1/imports/templates/assets.csv", "200", RegisterKeepers },
        { "GET", "/api/v1/imports/templates/people.csv", "200", RegisterKeepers },
        { "GET", "/api/v1/imports/templates/models.csv", "200", RegisterKeepers },

        // API tokens: everyone keeps their own (an unknown id is 404 to all); tokens.read lists every token, tokens.manage
        // sets the longest lifetime (the invitation body names none: 400). A session is not a token: /current is 404.
        { "GET", "/api/v1/tokens", "200", Roles },
        { "GET", "/api/v1/tokens?all=true", "200", AuditReaders },
        { "POST", "/api/v1/tokens", "400", Roles },
        { "GET", "/api/v1/tokens/00000000-0000-7000-8000-00000000c0de", "404", Roles },
        { "DELETE", "/api/v1/tokens/00000000-0000-7000-8000-00000000c0de", "404", Roles },
        { "GET", "/api/v1/tokens/policy", "200", Roles },
        { "PUT", "/api/v1/tokens/policy", "400", SettingsManagers },
        { "GET", "/api/v1/tokens/current", "404", Roles },
        { "GET", "/settings/tokens", "200", Roles },

        // Webhooks: admins only; an endpoint id this workspace lacks is 404 to them, and the matrix's body is refused (400).
        { "GET", "/api/v1/webhooks", "200", WebhookManagers },
        { "GET", "/api/v1/webhooks/event-types", "200", WebhookManagers },
        { "POST", "/api/v1/webhooks", "400", WebhookManagers },
        { "GET", "/api/v1/webhooks/00000000-0000-7000-8000-00000000c0de", "404", WebhookManagers },
        { "DELETE", "/api/v1/webhooks/00000000-0000-7000-8000-00000000c0de", "404", WebhookManagers },
        { "POST", "/api/v1/webhooks/00000000-0000-7000-8000-00000000c0de/rotate-secret", "404", WebhookManagers },
        { "GET", "/api/v1/webhooks/00000000-0000-7000-8000-00000000c0de/deliveries", "404", WebhookManagers },
        { "POST", "/api/v1/webhooks/00000000-0000-7000-8000-00000000c0de/deliveries/1/redeliver", "404", WebhookManagers },
        { "GET", "/settings/webhooks", "200", WebhookManagers },
        { "GET", "/settings/webhooks/00000000-0000-7000-8000-00000000c0de", "404", WebhookManagers },
        // Documents: register readers read, keepers write, Owners and Admins see deleted ones, restore and purge; an id
        // this workspace lacks is 404 to those allowed. The invitation's body names no upload: completing it is 404.
        { "GET", "/api/v1/documents", "200", RegisterReaders },
        { "GET", "/api/v1/documents?includeDeleted=true", "200", SettingsManagers },
        { "GET", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de", "404", RegisterReaders },
        { "GET", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de/download-url", "404", RegisterReaders },
        { "POST", "/api/v1/documents/uploads", "200", RegisterKeepers },
        { "POST", "/api/v1/documents", "404", RegisterKeepers },
        { "DELETE", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de", "404", RegisterKeepers },
        { "POST", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de/restore", "404", SettingsManagers },
        { "POST", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de/versions/1/restore", "404", SettingsManagers },
        { "DELETE", "/api/v1/documents/00000000-0000-7000-8000-00000000c0de/purge", "404", SettingsManagers },
        { "GET", "/documents?target=model:00000000-0000-7000-8000-00000000c0de", "404", RegisterReaders },
        { "GET", "/documents/00000000-0000-7000-8000-00000000c0de", "404", RegisterReaders },
        { "GET", "/documents/00000000-0000-7000-8000-00000000c0de/download", "404", RegisterReaders },
        { "GET", "/documents/attach?target=asset:{asset}", "200", RegisterKeepers },
        { "GET", "/settings/branding", "200", SettingsManagers },
        { "GET", "/branding/logo", "404", Roles },
    };

    /// <summary>Page forms: path with handler, the form's fields (URL-encoded), then as above.</summary>
    public static TheoryData<string, string, string, string[]> Forms() => new()
    {
        { "/settings/users/{target}?handler=Lock", string.Empty, "302", UsersManagers },
        { "/settings/users/{target}?handler=Unlock", string.Empty, "302", UsersManagers },
        { "/settings/users/{target}?handler=Roles", "roles=Member", "302", UsersManagers },
        { "/settings/invitations?handler=Invite", "email={email}&role=Member", "200", [WorkspaceRoles.Owner, WorkspaceRoles.Admin] },
        { "/settings/invitations?handler=Revoke&id={invitation}", string.Empty, "302", UsersManagers },
        { "/account/profile?handler=Name", "displayName=Someone", "302", Roles },
        { "/account/profile?handler=Email", "newEmail={email}&currentPassword=" + Uri.EscapeDataString(MatrixWorkspace.Password), "302", Roles },
        { "/account/confirm-email", "user={target}&email={email}&token=bm90IGEgdG9rZW4", "400", Roles },

        // Allowed roles reach the handler's own validation (400 for a value that is not an option); the rest are refused.
        { "/settings/security", "mfaRequirement=Sometimes", "400", SettingsManagers },
        { "/settings/sso", "Revision=0&Authority=not-a-url&ClientId=matrix", "400", SettingsManagers },
        { "/assets/new", "Input.Name=matrix", "400", RegisterKeepers },
        { "/assets/{asset}?handler=CheckIn", string.Empty, "409", RegisterKeepers },
        { "/assets/{asset}?handler=CheckOut", "CheckOut.ExpectedCheckIn=not-a-date", "400", RegisterKeepers },
        { "/people/new", "Input.Name=", "400", RegisterKeepers },
        { "/people/{person}", "Input.Name=", "400", RegisterKeepers },
        { "/assets/bulk?handler=Apply", "Operation=checkin", "400", RegisterKeepers },
        { "/settings/reference?handler=Create&kind=categories", "Input.Name=", "400", RegisterKeepers },

        { "/settings/custom-fields?handler=CreateField", "FieldInput.Name=", "400", RegisterKeepers },
        { "/settings/custom-fields?handler=CreateSet", "SetInput.Name=", "400", RegisterKeepers },
        { "/settings/reference?handler=FieldSet&kind=models&id=00000000-0000-7000-8000-00000000c0de", string.Empty, "404", RegisterKeepers },

        // Auditors read the retention page but only settings managers reach its validation (29 days is refused).
        { "/settings/audit", "days=29", "400", SettingsManagers },

        // Allowed roles reach the upload's own validation (no file attached); the rest are refused.
        { "/imports", "Kind=assets", "400", RegisterKeepers },
        { "/imports/0193d000-0000-7000-8000-00000000abcd?handler=Abandon", string.Empty, "404", RegisterKeepers },

        // Everyone reaches token creation's validation (a blank name) and revocation's look-up (an unknown id); only
        // token managers the lifetime's validation (0 days).
        { "/settings/tokens?handler=Create", "name=", "400", Roles },
        { "/settings/tokens?handler=Revoke&id=00000000-0000-7000-8000-00000000c0de", string.Empty, "404", Roles },
        { "/settings/tokens?handler=Policy", "maxLifetimeDays=0", "400", SettingsManagers },

        // Admins reach the endpoint form's validation (a blank URL); the rest are refused.
        { "/settings/webhooks", "Url=", "400", WebhookManagers },
        // Settings managers reach the colour's validation; keepers a missing document's look-up, Admins the purge's.
        { "/settings/branding?handler=Colour", "accentColour=red", "400", SettingsManagers },
        { "/documents/00000000-0000-7000-8000-00000000c0de?handler=Delete", string.Empty, "404", RegisterKeepers },
        { "/documents/00000000-0000-7000-8000-00000000c0de?handler=Purge", "confirm=true", "404", SettingsManagers },
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
    [MemberData(nameof(Forms))]
    public async Task Form_WithEveryRole_MatchesTheMatrix(string path, string fields, string allowed, string[] allowedRoles)
    {
        foreach (var role in Roles)
        {
            using var response = await SubmitAsync(matrix.Sessions[role], path, fields);
            var expected = allowedRoles.Contains(role) ? int.Parse(allowed, System.Globalization.CultureInfo.InvariantCulture) : StatusCodes.Status403Forbidden;
            Assert.True((int)response.StatusCode == expected, $"{role} POST {path}: expected {expected}, got {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("/settings/users/{target}?handler=Lock", "")]
    [InlineData("/settings/users/{target}?handler=Roles", "roles=Owner")]
    [InlineData("/settings/invitations?handler=Invite", "email={email}&role=Owner")]
    [InlineData("/settings/invitations?handler=Revoke&id={invitation}", "")]
    [InlineData("/account/profile?handler=Email", "newEmail={email}")]
    public async Task Form_Anonymous_IsSentToSignIn(string path, string fields)
    {
        using var response = await SubmitAsync(new BrowserSession(matrix.Host, "matrix.localhost"), path, fields, tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location?.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/api/v1/me", 401)]
    [InlineData("GET", "/api/v1/users", 401)]
    [InlineData("POST", "/api/v1/invitations", 401)]
    [InlineData("GET", "/account/sessions", 302)]
    [InlineData("GET", "/", 200)]
    [InlineData("GET", "/settings/users", 302)]
    [InlineData("GET", "/settings/users/{target}", 302)]
    [InlineData("GET", "/settings/invitations", 302)]
    [InlineData("GET", "/api/v1/invitations", 401)]
    [InlineData("POST", "/api/v1/users/{target}/lock", 401)]
    [InlineData("POST", "/api/v1/users/{target}/unlock", 401)]
    [InlineData("DELETE", "/api/v1/invitations/{invitation}", 401)]
    [InlineData("GET", "/account/profile", 302)]
    [InlineData("GET", "/account/confirm-email", 200)]
    [InlineData("GET", "/settings/security", 302)]
    [InlineData("GET", "/settings/sso", 302)]
    [InlineData("GET", "/account/security", 302)]
    [InlineData("GET", "/account/mfa/setup", 302)]
    [InlineData("GET", "/account/passkeys", 302)]
    [InlineData("GET", "/api/v1/assets", 401)]
    [InlineData("GET", "/api/v1/assets/export.csv", 401)]
    [InlineData("POST", "/api/v1/assets", 401)]
    [InlineData("GET", "/api/v1/people", 401)]
    [InlineData("GET", "/assets", 302)]
    [InlineData("GET", "/assets/{asset}", 302)]
    [InlineData("GET", "/people", 302)]
    [InlineData("GET", "/people/new", 302)]
    [InlineData("GET", "/people/{person}", 302)]
    [InlineData("GET", "/api/v1/people/{person}/assets", 401)]
    [InlineData("GET", "/assets/bulk", 302)]
    [InlineData("POST", "/api/v1/assets/bulk/update", 401)]
    [InlineData("PATCH", "/api/v1/assets/{asset}", 401)]
    [InlineData("GET", "/settings/reference", 302)]
    [InlineData("GET", "/openapi/v1.json", 302)]
    [InlineData("GET", "/settings/audit-log", 302)]
    [InlineData("GET", "/settings/audit-log/export", 302)]
    [InlineData("GET", "/settings/audit", 302)]
    [InlineData("GET", "/api/v1/audit-events", 401)]
    [InlineData("GET", "/api/v1/custom-fields", 401)]
    [InlineData("POST", "/api/v1/custom-field-sets", 401)]
    [InlineData("GET", "/settings/custom-fields", 302)]
    [InlineData("GET", "/api/v1/assets/export.xlsx", 401)]
    [InlineData("GET", "/assets/{asset}/label.png", 302)]
    [InlineData("GET", "/assets/labels.pdf", 302)]
    [InlineData("GET", "/assets/labels", 302)]
    [InlineData("GET", "/api-reference/", 302)]
    [InlineData("GET", "/imports", 302)]
    [InlineData("GET", "/api/v1/imports", 401)]
    [InlineData("POST", "/api/v1/imports", 401)]
    [InlineData("GET", "/api/v1/imports/templates/assets.csv", 401)]
    [InlineData("GET", "/api/v1/tokens", 401)]
    [InlineData("POST", "/api/v1/tokens", 401)]
    [InlineData("GET", "/api/v1/tokens/current", 401)]
    [InlineData("GET", "/settings/tokens", 302)]
    [InlineData("GET", "/api/v1/webhooks", 401)]
    [InlineData("POST", "/api/v1/webhooks", 401)]
    [InlineData("GET", "/settings/webhooks", 302)]
    [InlineData("GET", "/objects/documents/x", 403)]
    [InlineData("PUT", "/objects/uploads/x", 403)]
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

    private async Task<HttpResponseMessage> SendAsync(BrowserSession session, string method, string path)
    {
        path = await ResolveAsync(path);
        return method switch
        {
            "POST" => await PostJsonAsync(session, path, new InviteColleagueRequest(NewEmail(), WorkspaceRoles.Member)),
            "DELETE" => await session.SendAsync(HttpMethod.Delete, path),
            "PUT" => await session.PutJsonAsync(path, new InviteColleagueRequest(NewEmail(), WorkspaceRoles.Member)),
            "PATCH" => await session.SendJsonAsync(HttpMethod.Patch, path, new InviteColleagueRequest(NewEmail(), WorkspaceRoles.Member)),
            _ => await session.GetAsync(path),
        };
    }

    /// <summary>
    /// Posts a page form with the anti-forgery token of a page every role may open, so that a role refused the form's
    /// own page still reaches the handler's authorization.
    /// </summary>
    private async Task<HttpResponseMessage> SubmitAsync(BrowserSession session, string path, string fields, string tokenFrom = "/account/sessions")
    {
        var form = new Dictionary<string, string>();
        foreach (var pair in (await ResolveAsync(fields)).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            form[pair[..equals]] = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        return await session.SubmitAsync(await ResolveAsync(path), form, tokenFrom: tokenFrom);
    }

    /// <summary>Fills in the target user, a fresh address, and a fresh pending invitation (issued by the Owner) per use.</summary>
    private async Task<string> ResolveAsync(string template)
    {
        var resolved = template.Replace("{target}", matrix.TargetUserId.ToString(), StringComparison.Ordinal)
            .Replace("{asset}", matrix.AssetId.ToString(), StringComparison.Ordinal).Replace("{person}", matrix.PersonId.ToString(), StringComparison.Ordinal).Replace("{email}", NewEmail(), StringComparison.Ordinal);
        if (!resolved.Contains("{invitation}", StringComparison.Ordinal))
        {
            return resolved;
        }

        var owner = matrix.Sessions[WorkspaceRoles.Owner];
        var email = NewEmail();
        using (var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, WorkspaceRoles.Member)))
        {
            Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        }

        using var listed = await owner.GetAsync("/api/v1/invitations");
        var invitation = (await listed.Content.ReadFromJsonAsync<List<PendingInvitation>>())!.Single(i => i.Email == email);
        return resolved.Replace("{invitation}", invitation.Id.ToString(), StringComparison.Ordinal);
    }

    private static string NewEmail() => $"new{Interlocked.Increment(ref s_invited)}@matrix.example";

    private static Task<HttpResponseMessage> PostJsonAsync<T>(BrowserSession session, string path, T body) => session.PostJsonAsync(path, body);
}
