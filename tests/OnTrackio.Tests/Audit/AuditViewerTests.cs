using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Audit;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Audit;

/// <summary>The viewer, its API and export, and the retention setting, through the real web host on PostgreSQL.</summary>
public sealed class AuditViewerTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Retention_UnderThirtyDays_IsRefusedWithAMessage_AndAValidChangeIsAudited()
    {
        var (workspace, owner) = await AcceptedAsync("alpha");

        using var refused = await owner.SubmitAsync("/settings/audit", BrowserSession.Form(("days", "29")));
        using var saved = await owner.SubmitAsync("/settings/audit", BrowserSession.Form(("days", "90")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("at least 30 days; 29 is too short", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal([90], await TestCluster.A.QueryAsync<int>(workspace.DatabaseName, "SELECT days FROM audit_retention"));
        var change = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName,
            "SELECT actor_label || '|' || changes FROM audit_events WHERE type = 'AuditRetentionChanged'");
        Assert.Equal("it@alpha.example|[{\"field\":\"days\",\"before\":\"365\",\"after\":\"90\"}]", Assert.Single(change));
        (await _platform.CliAsync("audit", "verify", "alpha")).ShouldSucceed();
    }

    [Fact]
    public async Task Api_FiltersAndPagesNewestFirst()
    {
        var (_, owner) = await AcceptedAsync("beta");
        await FailSignInAsync("beta", 3);

        using var all = await owner.GetAsync("/api/v1/audit-events?limit=2");
        var first = await ReadAsync(all);
        using var next = await owner.GetAsync($"/api/v1/audit-events?limit=2&before={first.NextBefore}");
        var second = await ReadAsync(next);
        using var failed = await owner.GetAsync("/api/v1/audit-events?type=SignInFailed");

        Assert.Equal(2, first.Items.Count);
        Assert.True(first.Items[0].Id > first.Items[1].Id);
        Assert.True(second.Items[0].Id < first.Items[1].Id);
        Assert.Equal(3, (await ReadAsync(failed)).Items.Count);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("type=Nonsense", "type")]
    [InlineData("limit=100000", "limit")]
    [InlineData("before=abc", "before")]
    public async Task Api_BadFilter_IsAProblemNamingTheField(string query, string field)
    {
        var (_, owner) = await AcceptedAsync($"bad-{field}");

        using var response = await owner.GetAsync($"/api/v1/audit-events?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Export_PrefixesFormulaCells_AndKeepsTheFilter()
    {
        var (workspace, owner) = await AcceptedAsync("gamma");
        await using (var db = await OpenAsync(workspace))
        {
            db.Add(new AuditEvent { OccurredAt = DateTimeOffset.UtcNow, Type = AuditEventType.SignInFailed, ActorType = "user", Subject = "=HYPERLINK(\"http://evil.example\",\"x\")", UserAgent = "+1 agent" });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        using var response = await owner.GetAsync("/settings/audit-log/export?type=SignInFailed");
        var csv = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AuditCsv.Header, lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",'+1 agent,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrossWorkspace_AEntriesAreNeverVisibleOnBHost()
    {
        var (_, ownerA) = await AcceptedAsync("north");
        var (_, ownerB) = await AcceptedAsync("south");
        await FailSignInAsync("north", 2);

        using var page = await ownerB.GetAsync("/settings/audit-log");
        using var api = await ownerB.GetAsync("/api/v1/audit-events?limit=500");
        using var export = await ownerB.GetAsync("/settings/audit-log/export");
        using var byActor = await ownerB.GetAsync("/api/v1/audit-events?actor=it@north.example");
        var stolenCookie = new BrowserSession(_host, "south.localhost");
        stolenCookie.SetCookie("ontrackio.session", ownerA.Cookies["ontrackio.session"]);
        using var replayed = await stolenCookie.GetAsync("/api/v1/audit-events");
        using var onA = await ownerA.GetAsync("/api/v1/audit-events?actor=it@north.example");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("north", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.All((await ReadAsync(api)).Items, e => Assert.Equal("it@south.example", e.ActorLabel));
        Assert.DoesNotContain("north", await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty((await ReadAsync(byActor)).Items);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(3, (await ReadAsync(onA)).Items.Count);
    }

    private static async Task<AuditPage> ReadAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<AuditPage>(TestContext.Current.CancellationToken))!;
    }

    private async Task FailSignInAsync(string slug, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var other = new BrowserSession(_host, $"{slug}.localhost");
            using (await other.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", $"it@{slug}.example"), ("password", "wrong password here"))))
            {
            }
        }
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Session)> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"it@{slug}.example"), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }

    private async Task<WorkspaceData.WorkspaceDbContext> OpenAsync(CreatedWorkspace workspace)
    {
        await using var catalog = _platform.Catalog();
        var row = await catalog.Workspaces.FindAsync([workspace.Id], TestContext.Current.CancellationToken);
        var server = await catalog.DatabaseServers.FindAsync([row!.ServerId], TestContext.Current.CancellationToken);
        return _platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server!));
    }

    private sealed record AuditPage(List<AuditEntry> Items, long? NextBefore);

    private sealed record AuditEntry(long Id, long? Sequence, string Type, string? ActorLabel, string? Subject);
}
