using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Databases;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Tests.Audit;

/// <summary>The same chain on the embedded default (SQLite), where writers are serialised by the engine itself.</summary>
public sealed class EmbeddedAuditChainTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;

    public async ValueTask InitializeAsync() => _platform = await TestPlatform.SqliteAsync();

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Chain_OnSqlite_VerifiesAndDetectsTampering()
    {
        var workspace = await _platform.CreateWorkspaceAsync("embedded");
        await using var db = await OpenAsync(workspace.Id);
        foreach (var subject in new[] { "first", "second", "third" })
        {
            db.Add(new AuditEvent { OccurredAt = DateTimeOffset.UtcNow, Type = AuditEventType.SignedIn, ActorType = "user", Subject = subject });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var valid = await _platform.CliAsync("audit", "verify", "embedded");
        await db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET subject = 'edited' WHERE sequence = 3", TestContext.Current.CancellationToken);
        var broken = await _platform.CliAsync("audit", "verify", "embedded");

        Assert.Contains("valid: 3 entries from genesis", valid.ShouldSucceed().Output, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("BROKEN at sequence 3", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_DateRangeOnSqlite_ComparesTimes()
    {
        var workspace = await _platform.CreateWorkspaceAsync("dates");
        await using var db = await OpenAsync(workspace.Id);
        foreach (var day in new[] { 1, 15, 28 })
        {
            db.Add(new AuditEvent { OccurredAt = new DateTimeOffset(2026, 10, day, 9, 30, 0, TimeSpan.Zero), Type = AuditEventType.SignedIn, ActorType = "user", Subject = $"day {day}" });
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var filter = AuditLogFilter.Parse(null, null, null, null, "2026-10-15", "2026-10-27", out var errors);

        var page = await new SearchAuditLog(db).PageAsync(filter, null, 10, TestContext.Current.CancellationToken);

        Assert.Empty(errors);
        Assert.Equal("day 15", Assert.Single(page.Entries).Subject);
    }

    private async Task<WorkspaceDbContext> OpenAsync(Guid id)
    {
        await using var catalog = _platform.Catalog();
        var row = await catalog.Workspaces.FindAsync([id], TestContext.Current.CancellationToken);
        var server = await catalog.DatabaseServers.FindAsync([row!.ServerId], TestContext.Current.CancellationToken);
        return _platform.Engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server!));
    }
}
