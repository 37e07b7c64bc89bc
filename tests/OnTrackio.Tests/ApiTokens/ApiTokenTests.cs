using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.ApiTokens;
using OnTrackio.Assets;
using OnTrackio.Identity;
using OnTrackio.Provisioning;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;
using static OnTrackio.Tests.Identity.MfaSteps;

namespace OnTrackio.Tests.ApiTokens;

/// <summary>
/// API tokens over real HTTP against real PostgreSQL: how they are stored, where they are accepted, what they may do
/// as their owner's role changes, how they are refused, limited and retired, and how the audit log names them.
/// </summary>
public sealed class ApiTokenTests : IAsyncLifetime
{
    private const string Host = "tok.localhost";
    private static readonly string[] UnusedRefusals = ["This token was not used for a year, so it is revoked.", "This token was revoked."];
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private Guid _modelId;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _workspace = await _platform.CreateWorkspaceAsync("tok");
        _host = await _platform.StartWebHostAsync(time: _time);
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, Password);
        _modelId = (await _owner.CreateModelAsync()).Id;
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Token_ReadsAndWritesAssets_AndTheAuditLogNamesTheTokenAsActor()
    {
        var created = await _owner.CreateTokenAsync("CI sync", ["assets:write"]);
        var api = _host.Client(Host, created);

        using var posted = await api.PostJsonAsync("/api/v1/assets", NewAsset("TOK-1"));
        var asset = (await posted.Content.ReadFromJsonAsync<AssetView>(TestContext.Current.CancellationToken))!;
        using var listed = await api.GetAsync("/api/v1/assets?limit=1");
        var history = await _owner.ReadAsync<List<AssetHistoryView>>($"/api/v1/assets/{asset.Id}/history");

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(
            [$"token|{created.Details.Id}|token \"CI sync\" of owner@tok.example"],
            await QueryAsync($"SELECT actor_type || '|' || actor_id || '|' || actor_label FROM audit_events WHERE type = 'AssetCreated' AND entity_id = '{asset.Id}'"));
        Assert.Equal("token \"CI sync\" of owner@tok.example", Assert.Single(history).ActorLabel);
    }

    [Fact]
    public async Task Database_KeepsOnlyTheSecretsHash_NeverTheToken()
    {
        var created = await _owner.CreateTokenAsync("stored", ["assets:read"]);
        Assert.True(ApiTokenFormat.TryParse(created.Token, out var id, out var secret));

        var row = Assert.Single(await QueryAsync(
            $"SELECT encode(secret_hash, 'hex') || '|' || last_four || '|' || scopes FROM api_tokens WHERE id = '{id}'"));
        var everything = string.Join("\n", await QueryAsync("SELECT t::text FROM api_tokens t"));
        var audit = string.Join("\n", await QueryAsync("SELECT coalesce(changes, '') || subject FROM audit_events WHERE type = 'TokenCreated'"));

        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)))}|{created.Token[^4..]}|assets:read", row);
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);
        Assert.Equal(created.Details.Id, id);
        Assert.Equal($"{created.Token[..10]}…{created.Token[^4..]}", created.Details.Display);
    }

    [Fact]
    public async Task ForgedChecksum_IsRefusedWithoutOpeningTheWorkspaceDatabase()
    {
        var created = await _owner.CreateTokenAsync("forged", ["assets:read"]);
        var forged = created.Token[..20] + (created.Token[20] == 'a' ? 'b' : 'a') + created.Token[21..];
        var wellFormedButUnknown = ApiTokenFormat.Issue(Guid.CreateVersion7()).Token;

        // Nobody can connect to the workspace's database now: a request that needed it could not be answered 401.
        await TestCluster.A.ExecuteAsync("postgres", $"ALTER DATABASE {_workspace.DatabaseName} ALLOW_CONNECTIONS false");
        try
        {
            await TestCluster.A.ExecuteAsync("postgres", $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_workspace.DatabaseName}'");

            using var refused = await new TokenClient(_host, Host, forged).GetAsync("/api/v1/assets");
            var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
            var lookedUp = await new TokenClient(_host, Host, wellFormedButUnknown).GetAsync("/api/v1/assets").StatusAsync();

            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("format or checksum", problem!.Detail, StringComparison.Ordinal);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            Assert.True((int)lookedUp >= 500, $"a well-formed token needs the database, which is closed: {(int)lookedUp}");
        }
        finally
        {
            await TestCluster.A.ExecuteAsync("postgres", $"ALTER DATABASE {_workspace.DatabaseName} ALLOW_CONNECTIONS true");
        }
    }

    [Fact]
    public async Task TokenOfWorkspaceA_AtWorkspaceBsHost_Is401_EvenWhereAnonymousCallersAreServed()
    {
        var other = await _platform.CreateWorkspaceAsync("other");
        var created = await _owner.CreateTokenAsync("alpha only", ["assets:read"]);
        var atB = new TokenClient(_host, "other.localhost", created.Token);

        Assert.Equal(HttpStatusCode.OK, await _host.Client(Host, created).GetAsync("/api/v1/assets").StatusAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await atB.GetAsync("/api/v1/assets").StatusAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await atB.GetAsync("/api/v1/workspace").StatusAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await atB.GetAsync($"/api/v1/tokens/current").StatusAsync());
        Assert.Empty(await TestCluster.A.QueryAsync<string>(other.DatabaseName, "SELECT id::text FROM api_tokens"));
    }

    [Fact]
    public async Task Token_InAUrlOrWithoutBearer_IsNeverAccepted()
    {
        var created = await _owner.CreateTokenAsync("header only", ["assets:read"]);
        var token = Uri.EscapeDataString(created.Token);

        foreach (var path in new[] { $"/api/v1/assets?access_token={token}", $"/api/v1/assets?token={token}", $"/api/v1/assets?authorization=Bearer%20{token}" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await _host.GetAsync(Host, path).StatusAsync());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await _host.GetAsync(Host, "/api/v1/assets", r => r.Headers.TryAddWithoutValidation("Authorization", created.Token)).StatusAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await _host.GetAsync(Host, "/api/v1/assets", r => r.Headers.TryAddWithoutValidation("Authorization", "Basic " + created.Token)).StatusAsync());
        Assert.Equal(HttpStatusCode.OK, await _host.Client(Host, created).GetAsync("/api/v1/assets").StatusAsync());
    }

    [Fact]
    public async Task ExpiredAndRevokedTokens_Are401()
    {
        var shortLived = _host.Client(Host, await _owner.CreateTokenAsync("one day", ["assets:read"], days: 1));
        var revokedByOwner = await _owner.CreateTokenAsync("revoked", ["assets:read"]);
        var selfRevoking = _host.Client(Host, await _owner.CreateTokenAsync("self", ["assets:read"]));

        using var revoke = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/tokens/{revokedByOwner.Details.Id}");
        using var revokedUse = await _host.Client(Host, revokedByOwner).GetAsync("/api/v1/assets");
        var revokedProblem = await revokedUse.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        var selfRevoked = await selfRevoking.SendAsync(HttpMethod.Delete, "/api/v1/tokens/current").StatusAsync();
        var afterSelfRevoke = await selfRevoking.GetAsync("/api/v1/assets").StatusAsync();
        var beforeExpiry = await shortLived.GetAsync("/api/v1/assets").StatusAsync();
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        using var expired = await shortLived.GetAsync("/api/v1/assets");
        var expiredProblem = await expired.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedUse.StatusCode);
        Assert.Equal("This token was revoked.", revokedProblem!.Detail);
        Assert.Equal(HttpStatusCode.NoContent, selfRevoked);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSelfRevoke);
        Assert.Equal(HttpStatusCode.OK, beforeExpiry);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.StartsWith("This token expired on", expiredProblem!.Detail, StringComparison.Ordinal);
        Assert.Equal(
            ["user|owner@tok.example|token \"revoked\"", $"token|token \"self\" of owner@tok.example|token \"self\""],
            await QueryAsync("SELECT actor_type || '|' || actor_label || '|' || subject FROM audit_events WHERE type = 'TokenRevoked' ORDER BY id"));
    }

    [Fact]
    public async Task DemotingTheOwner_TakesWriteAwayAtTheNextRequest_AndLockingThemStopsTheToken()
    {
        var manager = await InviteAsync(_host, _owner, "manager@tok.example", WorkspaceRoles.AssetManager);
        var managerId = (await manager.ReadAsync<CurrentUser>("/api/v1/me")).Id;
        var api = _host.Client(Host, await manager.CreateTokenAsync("manager's", ["assets:write"]));

        var writeBefore = await api.PostJsonAsync("/api/v1/assets", NewAsset("DEM-1")).StatusAsync();
        using (var demoted = await _owner.PutJsonAsync($"/api/v1/users/{managerId}/roles", new ChangeUserRolesRequest([WorkspaceRoles.Auditor])))
        {
            Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        }

        var writeAfter = await api.PostJsonAsync("/api/v1/assets", NewAsset("DEM-2")).StatusAsync();
        var readAfter = await api.GetAsync("/api/v1/assets").StatusAsync();
        using (var locked = await _owner.PostJsonAsync($"/api/v1/users/{managerId}/lock", new { }))
        {
            Assert.Equal(HttpStatusCode.NoContent, locked.StatusCode);
        }

        using var whileLocked = await api.GetAsync("/api/v1/assets");
        var lockedProblem = await whileLocked.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, writeBefore);
        Assert.Equal(HttpStatusCode.Forbidden, writeAfter);
        Assert.Equal(HttpStatusCode.OK, readAfter);
        Assert.Equal(HttpStatusCode.Unauthorized, whileLocked.StatusCode);
        Assert.Equal("The owner of this token is locked out of the workspace.", lockedProblem!.Detail);
        Assert.Equal(["DEM-1"], await QueryAsync("SELECT tag FROM assets WHERE tag LIKE 'DEM-%'"));
    }

    [Fact]
    public async Task Scopes_BoundTheToken_EvenForAnOwner()
    {
        var reader = _host.Client(Host, await _owner.CreateTokenAsync("reader", ["assets:read"]));
        var importer = _host.Client(Host, await _owner.CreateTokenAsync("writer without imports", ["assets:write"]));

        using var write = await reader.PostJsonAsync("/api/v1/assets", NewAsset("SC-1"));
        var problem = await write.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        using var current = await reader.GetAsync("/api/v1/tokens/current");
        var me = await current.Content.ReadFromJsonAsync<CurrentApiToken>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Contains("scopes", problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await reader.GetAsync("/api/v1/assets").StatusAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await reader.GetAsync("/api/v1/people").StatusAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await reader.GetAsync("/api/v1/users").StatusAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await reader.GetAsync("/api/v1/audit-events").StatusAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await importer.GetAsync("/api/v1/imports").StatusAsync());
        Assert.Equal([Permissions.AssetsRead], me!.Permissions);
        Assert.Equal("reader", me.Token.Name);
    }

    /// <summary>Each scope (and imports with what they import), as an Owner's token: what it reaches, and what it does not.</summary>
    [Theory]
    [InlineData("assets:read", "GET /api/v1/assets")]
    [InlineData("assets:write", "GET /api/v1/assets,POST /api/v1/assets")]
    [InlineData("people:read", "GET /api/v1/people")]
    [InlineData("people:write", "GET /api/v1/people,POST /api/v1/people")]
    [InlineData("reference:write", "GET /api/v1/assets,POST /api/v1/categories")]
    [InlineData("imports:write", "")]
    [InlineData("imports:write assets:write", "GET /api/v1/assets,POST /api/v1/assets,GET /api/v1/imports")]
    [InlineData("audit:read", "GET /api/v1/audit-events")]
    [InlineData("webhooks:write", "GET /api/v1/webhooks,POST /api/v1/webhooks")]
    public async Task EachScope_ReachesItsOwnEndpoints_AndNoOthers(string scopes, string reached)
    {
        var api = _host.Client(Host, await _owner.CreateTokenAsync(scopes, scopes.Split(' ')));
        string[] endpoints =
        [
            "GET /api/v1/assets", "POST /api/v1/assets", "GET /api/v1/people", "POST /api/v1/people", "POST /api/v1/categories",
            "GET /api/v1/imports", "GET /api/v1/audit-events", "GET /api/v1/users", "POST /api/v1/invitations",
            "GET /api/v1/webhooks", "POST /api/v1/webhooks",
        ];

        var answered = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);

            // Posts carry an empty object: a reached endpoint refuses it (400), an unreached one is 403 before looking.
            var status = method == "GET"
                ? await api.GetAsync(path).StatusAsync()
                : await api.PostJsonAsync(path, new { }).StatusAsync();
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{endpoint}: {(int)status}");
            if (status != HttpStatusCode.Forbidden)
            {
                answered.Add(endpoint);
            }
        }

        Assert.Equal(reached.Split(',', StringSplitOptions.RemoveEmptyEntries), answered);
    }

    [Fact]
    public async Task ServiceToken_ActsForTheWorkspace_AndIsAuditedAsSuch_AndOnlyAdminsMakeOne()
    {
        var manager = await InviteAsync(_host, _owner, "manager@tok.example", WorkspaceRoles.AssetManager);
        var created = await _owner.CreateTokenAsync("HR feed", ["people:write"], service: true);
        var api = _host.Client(Host, created);

        using var person = await api.PostJsonAsync("/api/v1/people", new OnTrackio.People.PersonInput { Name = "Grace Hopper", Email = "grace@tok.example" });
        var personId = (await person.Content.ReadFromJsonAsync<OnTrackio.People.PersonView>(TestContext.Current.CancellationToken))!.Id;
        using var refused = await manager.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("not mine to make", ["assets:read"], 30, Service: true));
        using var all = await _owner.GetAsync("/api/v1/tokens?all=true");
        var listed = (await all.Content.ReadFromJsonAsync<List<ApiTokenView>>(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        Assert.Equal(
            [$"service_token|{created.Details.Id}|service token \"HR feed\""],
            await QueryAsync($"SELECT actor_type || '|' || actor_id || '|' || actor_label FROM audit_events WHERE type = 'PersonCreated' AND entity_id = '{personId}'"));
        Assert.Contains("{\"field\":\"kind\",\"before\":null,\"after\":\"service\"}", Assert.Single(await QueryAsync("SELECT changes FROM audit_events WHERE type = 'TokenCreated'")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var service = Assert.Single(listed);
        Assert.Equal(("service", (Guid?)null), (service.Kind, service.OwnerId));
        Assert.Empty(await _owner.ReadAsync<List<ApiTokenView>>("/api/v1/tokens"));
    }

    [Fact]
    public async Task Tokens_CannotManageTokens_ButCanReadAndRevokeThemselves()
    {
        var api = _host.Client(Host, await _owner.CreateTokenAsync("no minting", ["assets:write", "people:write", "reference:write", "imports:write", "audit:read"]));

        using var mint = await api.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("successor", ["assets:read"], 30));
        var problem = await mint.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, mint.StatusCode);
        Assert.Contains("sign in", problem!.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await api.GetAsync("/api/v1/tokens").StatusAsync());
        Assert.Equal(HttpStatusCode.Forbidden, await api.GetAsync("/api/v1/tokens?all=true").StatusAsync());
        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/tokens/current").StatusAsync());
        Assert.Equal(["1"], await QueryAsync("SELECT count(*)::text FROM api_tokens"));
    }

    [Fact]
    public async Task Creation_RefusesBadInput_WithEveryReason_AndWritesNothing()
    {
        var auditor = await InviteAsync(_host, _owner, "auditor@tok.example", WorkspaceRoles.Auditor);

        using var noExpiry = await _owner.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("", ["assets:fly"], null));
        var reasons = (await noExpiry.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken))!.Detail;
        using var tooLong = await _owner.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("long", ["assets:read"], 366));
        using var beyondRole = await auditor.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("write", ["assets:write"], 30));
        using var policyZero = await _owner.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(0));
        using var policyHuge = await _owner.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(5000));
        using var policyAuditor = await auditor.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(30));

        Assert.Equal(HttpStatusCode.BadRequest, noExpiry.StatusCode);
        Assert.Contains("Name is required.", reasons, StringComparison.Ordinal);
        Assert.Contains("'assets:fly' is not a scope", reasons, StringComparison.Ordinal);
        Assert.Contains("Expiry is required", reasons, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("from 1 to 365 days", await tooLong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, beyondRole.StatusCode);
        Assert.Contains("Your role does not allow 'assets:write'", await beyondRole.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, policyZero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, policyHuge.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, policyAuditor.StatusCode);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM api_tokens"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM api_token_policy"));
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM audit_events WHERE type LIKE 'Token%'"));
    }

    [Fact]
    public async Task Policy_CapsTheLifetimeOfNewTokens_AndTheChangeIsAudited()
    {
        using var saved = await _owner.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(30));
        using var refused = await _owner.PostJsonAsync("/api/v1/tokens", new CreateApiTokenRequest("too long now", ["assets:read"], 31));
        var allowed = await _owner.CreateTokenAsync("thirty days", ["assets:read"], days: 30);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(30, (await _owner.ReadAsync<ApiTokenPolicyView>("/api/v1/tokens/policy")).MaxLifetimeDays);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(_time.GetUtcNow().AddDays(30).ToUnixTimeSeconds(), allowed.Details.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(
            ["user|[{\"field\":\"maxLifetimeDays\",\"before\":\"365\",\"after\":\"30\"}]"],
            await QueryAsync("SELECT actor_type || '|' || changes FROM audit_events WHERE type = 'TokenPolicyChanged'"));
    }

    [Fact]
    public async Task RateLimits_PerTokenAndPerWorkspace_Answer429WithRetryAfter()
    {
        var limited = await _platform.StartWebHostAsync(
            c =>
            {
                c["OnTrackio:ApiTokens:RequestsPerMinutePerToken"] = "3";
                c["OnTrackio:ApiTokens:RequestsPerMinutePerWorkspace"] = "5";
            },
            _time);
        var first = new TokenClient(limited, Host, (await _owner.CreateTokenAsync("busy", ["assets:read"])).Token);
        var second = new TokenClient(limited, Host, (await _owner.CreateTokenAsync("neighbour", ["assets:read"])).Token);
        var session = new BrowserSession(limited, Host);
        session.SetCookie("ontrackio.session", _owner.Cookies["ontrackio.session"]);

        var firstAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            firstAnswers.Add(await first.GetAsync("/api/v1/assets").StatusAsync());
        }

        using var tooMany = await first.GetAsync("/api/v1/assets");
        var problem = await tooMany.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        var secondAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            secondAnswers.Add(await second.GetAsync("/api/v1/assets").StatusAsync());
        }

        var sessionAnswers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await session.GetAsync("/api/v1/assets");
            sessionAnswers.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], firstAnswers);
        Assert.Equal((HttpStatusCode)429, tooMany.StatusCode);
        Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType?.MediaType);
        var retryAfter = tooMany.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {tooMany.Headers.RetryAfter}");
        Assert.Equal("Too many requests", problem!.Title);

        // The workspace's five went on three of the first token's and two of the second's.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], secondAnswers);
        Assert.All(sessionAnswers, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task TokensUnusedForAYear_AreRefused_ThenRevokedBySweep_WhileUsedOnesLive()
    {
        using (var longer = await _owner.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(1095)))
        {
            Assert.Equal(HttpStatusCode.OK, longer.StatusCode);
        }

        var idle = await _owner.CreateTokenAsync("forgotten", ["assets:read"], days: 1000);
        var busy = await _owner.CreateTokenAsync("in use", ["assets:read"], days: 1000);
        _time.Advance(TimeSpan.FromDays(200));
        Assert.Equal(HttpStatusCode.OK, await _host.Client(Host, busy).GetAsync("/api/v1/assets").StatusAsync());
        _time.Advance(TimeSpan.FromDays(200));

        using var refused = await _host.Client(Host, idle).GetAsync("/api/v1/assets");
        var problem = await refused.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken);
        var stillGood = await _host.Client(Host, busy).GetAsync("/api/v1/assets").StatusAsync();
        await SweepAsync();
        await SweepAsync();

        // Refused by authentication itself, or already revoked by this host's own daily sweep, which the moved clock woke.
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains(problem!.Detail, UnusedRefusals);
        Assert.Equal(HttpStatusCode.OK, stillGood);
        Assert.Equal(
            [$"{idle.Details.Id}|revoked|Not used for a year", $"{busy.Details.Id}|live|"],
            await QueryAsync("SELECT id || '|' || CASE WHEN revoked_at IS NULL THEN 'live' ELSE 'revoked' END || '|' || coalesce(revoked_reason, '') FROM api_tokens ORDER BY name"));
        Assert.Equal(
            [$"system|{idle.Details.Id}|token \"forgotten\""],
            await QueryAsync("SELECT actor_type || '|' || entity_id || '|' || subject FROM audit_events WHERE type = 'TokenRevoked'"));
    }

    [Fact]
    public async Task LastUse_IsRecordedWithItsAddress_AtMostOnceAMinute()
    {
        var created = await _owner.CreateTokenAsync("watched", ["assets:read"]);
        var api = _host.Client(Host, created);

        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/assets").StatusAsync());
        var first = await LastUsedAsync(created.Details.Id);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/assets").StatusAsync());
        var withinAMinute = await LastUsedAsync(created.Details.Id);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/assets").StatusAsync());
        var later = await LastUsedAsync(created.Details.Id);
        var listed = Assert.Single(await _owner.ReadAsync<List<ApiTokenView>>("/api/v1/tokens"));

        Assert.Equal(first, withinAMinute);
        Assert.NotEqual(first, later);
        Assert.EndsWith("|127.0.0.1", later, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", listed.LastUsedIp);
        Assert.NotNull(listed.LastUsedAt);
    }

    [Fact]
    public async Task RequiredMfa_DoesNotStopATokenMadeEarlier()
    {
        var api = _host.Client(Host, await _owner.CreateTokenAsync("before the policy", ["assets:read"]));
        using (var policy = await _owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone"))))
        {
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, await MeAsync(_owner));
        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/assets").StatusAsync());
    }

    [Fact]
    public async Task Page_CreatesAndShowsTheTokenOnce_ListsIt_AndRevokes()
    {
        using var refused = await _owner.SubmitAsync("/settings/tokens?handler=Create", BrowserSession.Form(("name", ""), ("expiresInDays", "30")), tokenFrom: "/settings/tokens");
        var refusedHtml = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var created = await _owner.SubmitFormAsync(
            "/settings/tokens?handler=Create",
            [new("name", "From the page"), new("scopes", "assets:read"), new("scopes", "people:read"), new("expiresInDays", "60")],
            tokenFrom: "/settings/tokens");
        var html = await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(html, "otk_[0-9A-Za-z]{71}").Value;
        using var again = await _owner.GetAsync("/settings/tokens");
        var listHtml = WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = Assert.Single(await QueryAsync("SELECT id::text FROM api_tokens"));
        var api = new TokenClient(_host, Host, token);
        var beforeRevoke = await api.GetAsync("/api/v1/people").StatusAsync();
        using var revoked = await _owner.SubmitAsync($"/settings/tokens?handler=Revoke&id={id}", BrowserSession.Form(), tokenFrom: "/settings/tokens");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Name is required.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"name-error\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"scopes-error\"", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(created.Headers.CacheControl?.NoStore, $"Cache-Control: {created.Headers.CacheControl}");
        Assert.Equal(ApiTokenFormat.Length, token.Length);
        Assert.DoesNotContain(token, listHtml, StringComparison.Ordinal);
        Assert.Contains($"{token[..10]}…{token[^4..]}", listHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, beforeRevoke);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await api.GetAsync("/api/v1/people").StatusAsync());
    }

    [Fact]
    public async Task Page_ShowsAdminsEveryToken_AndMembersOnlyTheirOwn()
    {
        var auditor = await InviteAsync(_host, _owner, "auditor@tok.example", WorkspaceRoles.Auditor);
        await auditor.CreateTokenAsync("auditor's reader", ["audit:read"]);
        await _owner.CreateTokenAsync("workspace feed", ["assets:read"], service: true);
        var member = await InviteAsync(_host, _owner, "member@tok.example", WorkspaceRoles.Member);

        var ownerPage = await (await _owner.GetAsync("/settings/tokens")).TextAsync();
        var auditorPage = await (await auditor.GetAsync("/settings/tokens")).TextAsync();
        var memberPage = await (await member.GetAsync("/settings/tokens")).TextAsync();
        using var revokeOthers = await auditor.SubmitAsync(
            $"/settings/tokens?handler=Revoke&id={Assert.Single(await QueryAsync("SELECT id::text FROM api_tokens WHERE owner_user_id IS NULL"))}",
            BrowserSession.Form(), tokenFrom: "/settings/tokens");

        Assert.Contains("auditor&#x27;s reader", ownerPage, StringComparison.Ordinal);
        Assert.Contains("workspace feed", ownerPage, StringComparison.Ordinal);
        Assert.Contains("name=\"service\"", ownerPage, StringComparison.Ordinal);
        Assert.Contains("workspace feed", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"service\"", auditorPage, StringComparison.Ordinal);
        Assert.DoesNotContain("workspace feed", memberPage, StringComparison.Ordinal);
        Assert.Contains("Your role has nothing in the API", memberPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, revokeOthers.StatusCode);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*)::text FROM api_tokens WHERE revoked_at IS NOT NULL"));
    }

    [Fact]
    public async Task CookieRequests_KeepTheirCsrfDefences_WhileBearerRequestsNeedNone()
    {
        // What a form on another site could send with the browser's cookie: not JSON, so the endpoint does not take it.
        using var formPost = await _owner.SendContentAsync(HttpMethod.Post, "/api/v1/tokens",
            new FormUrlEncodedContent([new("name", "csrf"), new("scopes", "assets:write"), new("expiresInDays", "30")]));
        using var textPost = await _owner.SendContentAsync(HttpMethod.Post, "/api/v1/tokens",
            new StringContent("{\"name\":\"csrf\",\"scopes\":[\"assets:write\"],\"expiresInDays\":30}", Encoding.UTF8, "text/plain"));
        using var pageWithoutToken = await _owner.SubmitAsync("/settings/tokens?handler=Create",
            BrowserSession.Form(("name", "csrf"), ("scopes", "assets:read"), ("expiresInDays", "30")), withAntiforgery: false);
        var api = _host.Client(Host, await _owner.CreateTokenAsync("bearer", ["assets:write"]));
        var bearerPost = await api.PostJsonAsync("/api/v1/assets", NewAsset("CSRF-1")).StatusAsync();

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, formPost.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textPost.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pageWithoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Created, bearerPost);
        Assert.Equal(["bearer"], await QueryAsync("SELECT name FROM api_tokens"));
    }

    private AssetInput NewAsset(string tag) => new() { Tag = tag, Name = "Laptop", ModelId = _modelId, StatusLabelId = ReferenceDefaults.ReadyToDeploy };

    private async Task SweepAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var outcome = Assert.Single(await scope.ServiceProvider.GetRequiredService<RevokeUnusedApiTokens>().ExecuteAsync(TestContext.Current.CancellationToken));
        Assert.Null(outcome.Failure);
    }

    private async Task<string> LastUsedAsync(Guid id) =>
        Assert.Single(await QueryAsync($"SELECT coalesce(last_used_at::text, 'never') || '|' || coalesce(last_used_ip, '') FROM api_tokens WHERE id = '{id}'"));

    private Task<List<string>> QueryAsync(string sql) => TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, sql);
}
