using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Assets;
using OnTrackio.Demo;
using OnTrackio.People;
using OnTrackio.Register;
using OnTrackio.Tenancy;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Web;

namespace OnTrackio.Tests.Outputs;

public sealed class DemoDataTests(ITestOutputHelper output)
{
    [Fact]
    public async Task FirstStart_FillsTheDemoWorkspace_TheDashboardShowsIt_AndASecondStartAddsNothing()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var host = await platform.StartWebHostAsync();
        using var first = new StringWriter();
        using var second = new StringWriter();
        var watch = Stopwatch.StartNew();

        await EmbeddedFirstStart.PrepareAsync(host.Services, first, TestContext.Current.CancellationToken);
        watch.Stop();
        var afterFirst = await CountsAsync(host);
        await EmbeddedFirstStart.PrepareAsync(host.Services, second, TestContext.Current.CancellationToken);
        var afterSecond = await CountsAsync(host);
        var owner = await BrowserSession.AcceptInvitationAsync(host, InvitationLink.In(first.ToString()), "a long enough passphrase");
        var home = await (await owner.GetAsync("/")).TextAsync();
        var verify = await platform.CliAsync("audit", "verify", EmbeddedFirstStart.DemoSlug);
        output.WriteLine($"Demo workspace provisioned and filled in {watch.Elapsed.TotalSeconds:0.00} s: {afterFirst}");

        Assert.Equal(300, afterFirst.Assets);
        Assert.Equal(60, afterFirst.People);
        Assert.Equal(13, afterFirst.Models);
        Assert.Equal(12, afterFirst.Locations);
        Assert.InRange(afterFirst.Deployed, 100, 250);
        Assert.InRange(afterFirst.Archived, 5, 80);
        Assert.InRange(afterFirst.Pending, 5, 60);
        Assert.InRange(afterFirst.Broken, 3, 60);
        Assert.True(afterFirst.LeaversHolding >= 2, $"{afterFirst.LeaversHolding} assets held by leavers");
        Assert.True(afterFirst.NestedLocations >= 6, "floors sit in buildings in cities");
        Assert.True(afterFirst.Managed >= 50, "people have managers");
        Assert.Equal(afterFirst.Assets + afterFirst.Deployed, afterFirst.HistoryLines);
        Assert.Equal(afterFirst.Assets + afterFirst.Deployed + afterFirst.People + afterFirst.References, afterFirst.DemoAuditEntries);
        Assert.Equal(301, afterFirst.NextTag);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Contains("with sample data: 300 assets", first.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, second.ToString());
        Assert.Contains("data-count=\"total\">", home, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/assets\">300</a>", home, StringComparison.Ordinal);
        Assert.Matches("data-window=\"warranty-30\"><a href=\"[^\"]+\">[1-9]", home);
        Assert.Matches("data-window=\"warranty-90\"><a href=\"[^\"]+\">[1-9]", home);
        Assert.Contains("<desc id=\"chart-category-desc\">Laptops: 130;", home, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
    }

    /// <summary>
    /// Fills two fresh workspaces and prints the time of each (target &lt; 2 s): the first includes the process's one-off
    /// warm-up (EF's model, query compilation), the second is the fill alone. CPU time is printed beside the wall
    /// clock, which a busy machine stretches.
    /// </summary>
    [Fact]
    public async Task DemoRegister_FillsAFreshWorkspaceOnce_AndPrintsHowLongItTook()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        await using var host = await platform.StartWebHostAsync();
        var cold = await FillAsync(platform, host, "cold");
        var (summary, wall, cpu, db) = await FillAsync(platform, host, "fresh");
        await using (db)
        {
            var again = await Assert.ThrowsAsync<InvalidOperationException>(() => DemoRegister.AddAsync(db, TimeProvider.System, TestContext.Current.CancellationToken));
            await cold.Db.DisposeAsync();
            output.WriteLine($"Demo register written in {wall.TotalSeconds:0.00} s ({cpu.TotalSeconds:0.00} s CPU); the first, with warm-up, in {cold.Wall.TotalSeconds:0.00} s ({cold.Cpu.TotalSeconds:0.00} s CPU): {summary}");

            Assert.Equal(new DemoSummary(300, 60, 13, 12, summary.CheckedOut), summary);
            Assert.Equal(cold.Summary, summary);
            Assert.Equal(summary.CheckedOut, await db.Set<Asset>().CountAsync(a => a.AssignedPersonId != null, TestContext.Current.CancellationToken));
            Assert.Contains("only into a freshly created workspace", again.Message, StringComparison.Ordinal);
            Assert.Equal(300, await db.Set<Asset>().CountAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task DemoRegister_RefusesAWorkspaceThatHasARegister_AndChangesNothing()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("real");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, "a long enough passphrase");
        await owner.CreateAssetAsync((await owner.CreateModelAsync()).Id);
        var location = (await host.Services.GetRequiredService<WorkspaceDirectory>().FindAsync(workspace.Hostname, TestContext.Current.CancellationToken))!.Location;
        await using var db = platform.Engine.CreateWorkspaceContext(location);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => DemoRegister.AddAsync(db, TimeProvider.System, TestContext.Current.CancellationToken));

        Assert.Contains("only into a freshly created workspace", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.Set<Asset>().CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Set<Person>().CountAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<(DemoSummary Summary, TimeSpan Wall, TimeSpan Cpu, OnTrackio.WorkspaceData.WorkspaceDbContext Db)> FillAsync(
        TestPlatform platform, TestWebHost host, string slug)
    {
        var workspace = await platform.CreateWorkspaceAsync(slug);
        var location = (await host.Services.GetRequiredService<WorkspaceDirectory>().FindAsync(workspace.Hostname, TestContext.Current.CancellationToken))!.Location;
        var db = platform.Engine.CreateWorkspaceContext(location);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var summary = await DemoRegister.AddAsync(db, TimeProvider.System, TestContext.Current.CancellationToken);
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        db.ChangeTracker.Clear();
        return (summary, watch.Elapsed, cpu, db);
    }

    private static async Task<DemoCounts> CountsAsync(TestWebHost host)
    {
        var location = (await host.Services.GetRequiredService<WorkspaceDirectory>().FindAsync("demo.localhost", TestContext.Current.CancellationToken))!.Location;
        await using var db = host.Services.GetRequiredService<OnTrackio.Databases.IDatabaseEngine>().CreateWorkspaceContext(location);
        var assets = db.Set<Asset>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var leavers = db.Set<Person>().Where(p => p.LeaveDate < today).Select(p => p.Id);
        return new DemoCounts(
            await assets.CountAsync(),
            await db.Set<Person>().CountAsync(),
            await db.Set<AssetModel>().CountAsync(),
            await db.Set<Location>().CountAsync(),
            await db.Set<Location>().CountAsync(l => l.ParentId != null && db.Set<Location>().Any(p => p.Id == l.ParentId && p.ParentId != null)),
            await db.Set<Person>().CountAsync(p => p.ManagerId != null),
            await assets.CountAsync(a => a.AssignedPersonId != null && a.StatusLabelId == ReferenceDefaults.ReadyToDeploy),
            await assets.CountAsync(a => a.StatusLabelId == ReferenceDefaults.Archived),
            await assets.CountAsync(a => a.StatusLabelId == ReferenceDefaults.Pending),
            await assets.CountAsync(a => a.StatusLabelId == ReferenceDefaults.Broken),
            await assets.CountAsync(a => a.AssignedPersonId != null && leavers.Contains(a.AssignedPersonId.Value)),
            await db.Set<AssetHistoryEntry>().CountAsync(),
            await db.Set<OnTrackio.Audit.AuditEvent>().CountAsync(e => e.ActorLabel == DemoRegister.Actor),
            await db.Set<Manufacturer>().CountAsync() + await db.Set<Supplier>().CountAsync() + await db.Set<AssetModel>().CountAsync()
                + await db.Set<Location>().CountAsync() + await db.Set<Department>().CountAsync(),
            (await db.Set<AssetTagSequence>().SingleAsync()).NextNumber);
    }

    private sealed record DemoCounts(
        int Assets, int People, int Models, int Locations, int NestedLocations, int Managed, int Deployed, int Archived, int Pending, int Broken,
        int LeaversHolding, int HistoryLines, int DemoAuditEntries, int References, long NextTag);
}
