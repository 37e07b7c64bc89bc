using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.ApiTokens;
using OnTrackio.Assets;
using OnTrackio.Register;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web.Endpoints;
using static OnTrackio.Tests.Identity.MfaSteps;

namespace OnTrackio.Tests.ApiTokens;

/// <summary>The same tokens on the embedded default (SQLite), whose queries cannot compare times in SQL.</summary>
public sealed class EmbeddedApiTokenTests
{
    [Fact]
    public async Task Token_OnSqlite_AuthenticatesWritesRecordsItsUse_AndIsSweptWhenUnused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("solo");
        var host = await platform.StartWebHostAsync(time: time);
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        var model = await owner.CreateModelAsync();
        using (var policy = await owner.PutJsonAsync("/api/v1/tokens/policy", new ApiTokenPolicyView(1095)))
        {
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        }

        var used = await owner.CreateTokenAsync("used", ["assets:write", "audit:read"], days: 1000);
        var idle = await owner.CreateTokenAsync("idle", ["assets:read"], days: 1000);
        var api = host.Client("solo.localhost", used);

        using var created = await api.PostJsonAsync("/api/v1/assets", new AssetInput { Tag = "SQL-1", ModelId = model.Id, StatusLabelId = ReferenceDefaults.ReadyToDeploy });

        // Read now: a year on, the daily purge (woken by the moved clock) removes entries past the 365-day retention.
        using var entries = await api.GetAsync("/api/v1/audit-events?type=AssetCreated");
        var page = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<AuditEntriesPage>(entries.Content, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromDays(364));
        Assert.Equal(HttpStatusCode.OK, await api.GetAsync("/api/v1/assets").StatusAsync());
        time.Advance(TimeSpan.FromDays(2));
        var idleAnswer = await host.Client("solo.localhost", idle).GetAsync("/api/v1/assets").StatusAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var outcome = Assert.Single(await scope.ServiceProvider.GetRequiredService<RevokeUnusedApiTokens>().ExecuteAsync(TestContext.Current.CancellationToken));
            Assert.Null(outcome.Failure);
        }

        var signedIn = await BrowserSession.SignInAsync(host, "solo.localhost", "owner@solo.example", Password);
        var tokens = await signedIn.ReadAsync<List<ApiTokenView>>("/api/v1/tokens");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, idleAnswer);
        Assert.Equal(["idle|revoked", "used|active"], tokens.Select(t => $"{t.Name}|{t.Status}").Order(StringComparer.Ordinal));
        Assert.NotNull(tokens.Single(t => t.Name == "used").LastUsedAt);
        Assert.Equal(("token", used.Details.Id), (Assert.Single(page!.Items).ActorType, Assert.Single(page.Items).ActorId!.Value));
    }
}
