using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Tests.Audit;

/// <summary>The hash chain on PostgreSQL: appended through the real identity flows, verified and broken by the CLI.</summary>
public sealed class AuditChainTests : IAsyncLifetime
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
    public async Task Verify_AfterIdentityEvents_IsValid()
    {
        var workspace = await WithIdentityEventsAsync("alpha");

        var result = await _platform.CliAsync("audit", "verify", "alpha");

        result.ShouldSucceed();
        Assert.Contains("valid: 4 entries from genesis", result.Output, StringComparison.Ordinal);
        var links = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT sequence || '|' || previous_hash || '|' || hash FROM audit_events ORDER BY sequence");
        Assert.Equal(["1", "2", "3", "4"], links.Select(l => l.Split('|')[0]));
        Assert.Equal(AuditChainHasher.Genesis, links[0].Split('|')[1]);
        Assert.Equal(links[0].Split('|')[2], links[1].Split('|')[1]);
        var head = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT sequence || '|' || hash FROM audit_chain_head");
        Assert.Equal($"4|{links[3].Split('|')[2]}", Assert.Single(head));
    }

    [Fact]
    public async Task Verify_SubjectTamperedBySql_ExitsOneNamingTheEntry()
    {
        var workspace = await WithIdentityEventsAsync("beta");
        var id = (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT id FROM audit_events WHERE sequence = 2")).Single();
        await TestCluster.A.ExecuteAsync(workspace.DatabaseName, "UPDATE audit_events SET subject = 'nothing to see' WHERE sequence = 2");

        var result = await _platform.CliAsync("audit", "verify", "beta");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"BROKEN at sequence 2 (id {id}): hash mismatch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MiddleEntryDeleted_NamesTheGap()
    {
        var workspace = await WithIdentityEventsAsync("gamma");
        var id = (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT id FROM audit_events WHERE sequence = 3")).Single();
        await TestCluster.A.ExecuteAsync(workspace.DatabaseName, "DELETE FROM audit_events WHERE sequence = 2");

        var result = await _platform.CliAsync("audit", "verify", "gamma");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"BROKEN at sequence 3 (id {id}): gap: entry 2 is missing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NewestEntryDeleted_NamesTheMissingTail()
    {
        var workspace = await WithIdentityEventsAsync("delta");
        await TestCluster.A.ExecuteAsync(workspace.DatabaseName, "DELETE FROM audit_events WHERE sequence = 4");

        var result = await _platform.CliAsync("audit", "verify", "delta");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BROKEN at sequence 4: gap: entries 4–4 at the end", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TwoEntriesSwapped_IsBroken()
    {
        var workspace = await WithIdentityEventsAsync("epsilon");
        await TestCluster.A.ExecuteAsync(workspace.DatabaseName, """
            UPDATE audit_events SET sequence = -sequence WHERE sequence IN (2, 3);
            UPDATE audit_events SET sequence = CASE sequence WHEN -2 THEN 3 ELSE 2 END WHERE sequence IN (-2, -3);
            """);

        var result = await _platform.CliAsync("audit", "verify", "epsilon");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("BROKEN at sequence 2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnknownWorkspace_ExitsTwo()
    {
        var result = await _platform.CliAsync("audit", "verify", "no-such-workspace");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-workspace", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntriesFromBeforeTheChain_AreReportedNotFailed()
    {
        var workspace = await WithIdentityEventsAsync("zeta");
        await TestCluster.A.ExecuteAsync(workspace.DatabaseName,
            "INSERT INTO audit_events (occurred_at, type, actor_type) VALUES (now() - interval '1 day', 'SignedIn', 'user')");

        var result = await _platform.CliAsync("audit", "verify", "zeta");

        result.ShouldSucceed();
        Assert.Contains("1 older entries predate the chain", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentAppends_FromManyContexts_KeepOneChain()
    {
        var workspace = await _platform.CreateWorkspaceAsync("eta");
        const int writers = 24;

        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            await using var db = await OpenAsync(workspace);
            for (var n = 0; n < 5; n++)
            {
                db.Add(new AuditEvent { OccurredAt = DateTimeOffset.UtcNow, Type = AuditEventType.SignInFailed, ActorType = "user", Subject = $"writer {i}/{n}" });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
        })));

        var sequences = await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT sequence FROM audit_events ORDER BY sequence");
        Assert.Equal(Enumerable.Range(1, writers * 5).Select(i => (long)i), sequences);
        (await _platform.CliAsync("audit", "verify", "eta")).ShouldSucceed();
    }

    [Fact]
    public async Task SaveChanges_ThatModifiesOrDeletesAnEntry_IsRefused()
    {
        var workspace = await WithIdentityEventsAsync("theta");
        await using var db = await OpenAsync(workspace);
        var entry = await db.Set<AuditEvent>().OrderBy(e => e.Id).FirstAsync(TestContext.Current.CancellationToken);

        db.Remove(entry);

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(4, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM audit_events")).Single());
    }

    [Fact]
    public async Task Purge_RemovesExpiredPrefix_LeavesAnAnchor_AndVerifyStillPasses()
    {
        var workspace = await _platform.CreateWorkspaceAsync("iota");
        await using (var db = await OpenAsync(workspace))
        {
            foreach (var age in new[] { 400, 380, 366, 10, 1 })
            {
                db.Add(new AuditEvent { OccurredAt = DateTimeOffset.UtcNow.AddDays(-age), Type = AuditEventType.SignedIn, ActorType = "user", Subject = $"{age} days ago" });
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
        }

        var purge = await _platform.CliAsync("audit", "purge", "iota");
        var again = await _platform.CliAsync("audit", "purge", "iota");
        var verify = await _platform.CliAsync("audit", "verify", "iota");

        purge.ShouldSucceed();
        Assert.Contains("iota: 3 entries purged, anchor at sequence 3", purge.Output, StringComparison.Ordinal);
        Assert.Contains("iota: nothing older than the retention", again.ShouldSucceed().Output, StringComparison.Ordinal);
        verify.ShouldSucceed();
        Assert.Contains("entries from the purge anchor at sequence 3", verify.Output, StringComparison.Ordinal);
        var remaining = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT type FROM audit_events ORDER BY sequence");
        Assert.Equal(["SignedIn", "SignedIn", "AuditLogPurged"], remaining);
    }

    private async Task<CreatedWorkspace> WithIdentityEventsAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<CreateWorkspace>(s).ExecuteAsync(
                new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, $"it@{slug}.example"), CancellationToken.None));
        var session = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
        var other = new BrowserSession(_host, $"{slug}.localhost");
        using (await other.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", $"it@{slug}.example"), ("password", "wrong password here"))))
        {
        }

        await BrowserSession.SignInAsync(_host, $"{slug}.localhost", $"it@{slug}.example", Password);
        using (await session.SubmitAsync("/account/sign-out", new Dictionary<string, string>(), tokenFrom: "/"))
        {
        }

        return workspace;
    }

    private async Task<WorkspaceDbContext> OpenAsync(CreatedWorkspace workspace)
    {
        await using var catalog = _platform.Catalog();
        var row = await catalog.Workspaces.FindAsync([workspace.Id], TestContext.Current.CancellationToken);
        var server = await catalog.DatabaseServers.FindAsync([row!.ServerId], TestContext.Current.CancellationToken);
        return _platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server!));
    }
}
