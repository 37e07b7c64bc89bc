using Microsoft.Extensions.Time.Testing;
using OnTrackio.Importing;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Importing;

/// <summary>The import on the embedded default (SQLite), which keeps times as text: upload, dry run, commit, and a week-old file let go.</summary>
public sealed class EmbeddedImportTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.SqliteAsync();
        var workspace = await _platform.CreateWorkspaceAsync("solo");
        _host = await _platform.StartWebHostAsync(time: _time);
        _owner = await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, "a long enough passphrase");
        await _owner.CreateModelAsync();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task AnImport_IsCheckedAndCommitted_AndAFileLeftAWeekIsLetGo()
    {
        var committed = await _owner.ImportAsync(_host, "assets", "tag,name,model,status\nE-1,First,ThinkPad T14,Ready to deploy\nE-2,Second,ThinkPad T14,Pending\n");
        var waiting = await _owner.DryRunAsync(_host, "assets", "tag,name,model,status\nE-3,Third,ThinkPad T14,Ready to deploy\n");

        // A week on, the session is long gone: the owner signs in again.
        _time.Advance(ImportLimits.KeepUncommitted + TimeSpan.FromMinutes(1));
        _owner = await BrowserSession.SignInAsync(_host, "solo.localhost", "owner@solo.example", "a long enough passphrase");
        await _owner.DryRunAsync(_host, "assets", "tag,name,model,status\nE-4,Fourth,ThinkPad T14,Ready to deploy\n");
        var expired = await _owner.WaitAsync(waiting.Id);

        Assert.Equal(2, committed.CreateCount);
        Assert.Equal(["E-1", "E-2"], (await _owner.ReadAsync<OnTrackio.Assets.AssetPage>("/api/v1/assets")).Items.Select(a => a.Tag));
        Assert.True(waiting.CanCommit);
        Assert.Equal(ImportStatus.Failed, expired.Status);
        Assert.False(expired.CanCommit);
        Assert.Contains("Not committed within a week", expired.Failure, StringComparison.Ordinal);
    }
}
