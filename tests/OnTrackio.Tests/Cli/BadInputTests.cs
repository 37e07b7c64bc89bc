using Microsoft.EntityFrameworkCore;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Cli;

/// <summary>Bad input gets a sentence, exit code 2, and changes nothing — in the catalog or on the database servers.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        await _platform.CreateWorkspaceAsync("acme");
        (await _platform.CliAsync("domain", "add", "acme", "assets.acme.example")).ShouldSucceed();
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    public static TheoryData<string[], string> RefusedCommands() => new()
    {
        { ["workspace", "create", "--name", "X", "--slug", "Bad_Slug", "--owner-email", "a@b.example"], "not a valid slug" },
        { ["workspace", "create", "--name", "X", "--slug", "ab", "--owner-email", "a@b.example"], "not a valid slug" },
        { ["workspace", "create", "--name", "X", "--slug", "ends-", "--owner-email", "a@b.example"], "not a valid slug" },
        { ["workspace", "create", "--name", "X", "--slug", "www", "--owner-email", "a@b.example"], "reserved" },
        { ["workspace", "create", "--name", "X", "--slug", "acme", "--owner-email", "a@b.example"], "already taken" },
        { ["workspace", "create", "--name", "X", "--slug", "fresh", "--owner-email", "not-an-email"], "not a valid email" },
        { ["workspace", "create", "--name", "  ", "--slug", "fresh", "--owner-email", "a@b.example"], "name must be" },
        { ["workspace", "create", "--name", "X", "--slug", "fresh", "--region", "mars-1", "--owner-email", "a@b.example"], "Unknown region 'mars-1'" },
        { ["workspace", "create", "--slug", "fresh"], "--name" },
        { ["workspace", "show", "nobody"], "No workspace" },
        { ["workspace", "delete", "nobody", "--yes"], "No workspace" },
        { ["domain", "add", "acme", "assets.acme.example"], "already registered" },
        { ["domain", "add", "acme", "ASSETS.acme.example."], "already registered" },
        { ["domain", "add", "nobody", "new.acme.example"], "No workspace" },
        { ["domain", "add", "acme", "https://x.example/path"], "not a valid hostname" },
        { ["domain", "add", "acme", "x.example:8080"], "not a valid hostname" },
        { ["domain", "add", "acme", "10.0.0.1"], "not a fully qualified" },
        { ["domain", "add", "acme", "other.localhost"], "loopback" },
        { ["domain", "add", "acme", "intranet"], "not a fully qualified" },
        { ["domain", "verify", "nothing.example"], "not registered" },
        { ["domain", "remove", "acme.localhost"], "cannot be removed" },
        { ["domain", "remove", "nothing.example"], "not registered" },
        { ["server", "add", "--name", "pg-x", "--region", "mars-1", "--connection", "Host=127.0.0.1;Username=x"], "Unknown region" },
        { ["server", "add", "--name", "pg-a", "--region", "eu-central-1", "--connection", "Host=10.1.1.1;Username=x"], "already registered" },
        { ["server", "add", "--name", "pg-x", "--region", "eu-central-1", "--connection", "Host=127.0.0.1;Username=x;Password=hunter2"], "never stores credentials" },
        { ["server", "add", "--name", "Bad Name", "--region", "eu-central-1", "--connection", "Host=127.0.0.1;Username=x"], "not a valid server name" },
        { ["server", "add", "--name", "pg-x", "--region", "eu-central-1", "--connection", "Nonsense=1"], "not valid" },
        { ["server", "add", "--name", "pg-x", "--region", "eu-central-1", "--connection", "Host=127.0.0.1;Port=1;Username=x;Timeout=2"], "Cannot connect" },
        { ["no-such-command"], "Unrecognized command" },
    };

    [Theory]
    [MemberData(nameof(RefusedCommands))]
    public async Task Cli_BadInput_ExitsTwoWithAMessageAndChangesNothing(string[] args, string message)
    {
        var before = await SnapshotAsync();

        var result = await _platform.CliAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error + result.Output, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<string> SnapshotAsync()
    {
        await using var catalog = _platform.Catalog();
        var workspaces = await catalog.Workspaces.OrderBy(w => w.Slug).Select(w => w.Slug + ":" + w.Status).ToListAsync();
        var domains = await catalog.Domains.OrderBy(d => d.Hostname).Select(d => d.Hostname).ToListAsync();
        var servers = await catalog.DatabaseServers.OrderBy(s => s.Name).Select(s => s.Name).ToListAsync();
        return string.Join("|", workspaces) + "#" + string.Join("|", domains) + "#" + string.Join("|", servers);
    }
}
