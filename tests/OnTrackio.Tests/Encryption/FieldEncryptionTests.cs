using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Databases;
using OnTrackio.Encryption;
using OnTrackio.Provisioning;
using OnTrackio.Secrets;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Encryption;

/// <summary>Sensitive settings are encrypted under the workspace's data key before they reach its database.</summary>
public sealed class FieldEncryptionTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private CreatedWorkspace _acme = null!;
    private CreatedWorkspace _beta = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _acme = await _platform.CreateWorkspaceAsync("acme");
        _beta = await _platform.CreateWorkspaceAsync("beta");
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Secret_InTheDatabase_IsAnEnvelopeNeverThePlaintext()
    {
        await SetAsync(_acme, "sso.client_secret", "correct horse battery staple");

        var raw = await RawAsync(_acme, "sso.client_secret");

        Assert.StartsWith("otx1.1.", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", raw, StringComparison.Ordinal);
        Assert.Equal("correct horse battery staple", await GetAsync(_acme, "sso.client_secret"));
    }

    [Fact]
    public async Task SameValueTwice_GivesDifferentCiphertexts()
    {
        await SetAsync(_acme, "one", "same value");
        await SetAsync(_acme, "two", "same value");

        Assert.NotEqual(
            (await RawAsync(_acme, "one"))[7..],
            (await RawAsync(_acme, "two"))[7..]);
    }

    [Fact]
    public async Task Ciphertext_MovedToAnotherRow_DoesNotDecrypt()
    {
        await SetAsync(_acme, "smtp.password", "hunter2");
        await SetAsync(_acme, "webhook.key", "something else");

        await WriteRawAsync(_acme, "webhook.key", await RawAsync(_acme, "smtp.password"));

        await Assert.ThrowsAsync<FieldDecryptionException>(() => GetAsync(_acme, "webhook.key"));
    }

    [Fact]
    public async Task Ciphertext_MovedToAnotherWorkspace_DoesNotDecrypt()
    {
        await SetAsync(_acme, "smtp.password", "acme's password");
        await SetAsync(_beta, "smtp.password", "beta's password");

        await WriteRawAsync(_beta, "smtp.password", await RawAsync(_acme, "smtp.password"));

        await Assert.ThrowsAsync<FieldDecryptionException>(() => GetAsync(_beta, "smtp.password"));
        Assert.Equal("acme's password", await GetAsync(_acme, "smtp.password"));
    }

    [Fact]
    public async Task Ciphertext_Altered_DoesNotDecrypt()
    {
        await SetAsync(_acme, "api.key", "value");
        var raw = await RawAsync(_acme, "api.key");
        var flipped = raw[..^2] + (raw[^2] == 'A' ? 'B' : 'A') + raw[^1];

        await WriteRawAsync(_acme, "api.key", flipped);

        await Assert.ThrowsAsync<FieldDecryptionException>(() => GetAsync(_acme, "api.key"));
    }

    [Fact]
    public async Task WrongMasterKey_CannotUnwrapTheWorkspaceKey()
    {
        await SetAsync(_acme, "api.key", "value");
        await using var impostor = new TestPlatformView(_platform, c =>
            c["OnTrackio:Encryption:MasterKeys:" + TestPlatform.MasterKeyId] = Convert.ToBase64String(new byte[32]));

        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(() => impostor.GetAsync(_acme, "api.key"));
    }

    [Fact]
    public async Task Rotate_NewMasterKey_ReencryptsValuesAndOldMasterKeyCanBeRetired()
    {
        await SetAsync(_acme, "a", "first");
        await SetAsync(_acme, "b", "second");
        await SetAsync(_beta, "a", "third");
        var newMasterKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        var rotated = await _platform.CliWithConfigAsync(
            c =>
            {
                c["OnTrackio:Encryption:MasterKeys:test-2"] = newMasterKey;
                c["OnTrackio:Encryption:ActiveMasterKeyId"] = "test-2";
            },
            "keys",
            "rotate");

        rotated.ShouldSucceed();
        Assert.Contains("2 workspace(s): 3 value(s) re-encrypted, 2 key version(s) rewrapped, 0 failed", rotated.Output, StringComparison.Ordinal);
        Assert.StartsWith("otx1.2.", await RawAsync(_acme, "a"), StringComparison.Ordinal);

        // Only the new master key is configured now: every version was rewrapped by it, so everything still reads.
        await using var retired = new TestPlatformView(_platform, c =>
        {
            c.Remove("OnTrackio:Encryption:MasterKeys:" + TestPlatform.MasterKeyId);
            c["OnTrackio:Encryption:MasterKeys:test-2"] = newMasterKey;
            c["OnTrackio:Encryption:ActiveMasterKeyId"] = "test-2";
        });
        Assert.Equal("first", await retired.GetAsync(_acme, "a"));
        Assert.Equal("second", await retired.GetAsync(_acme, "b"));
        Assert.Equal("third", await retired.GetAsync(_beta, "a"));
    }

    [Fact]
    public async Task DeleteWorkspace_DestroysItsKeysFirst()
    {
        var doomed = await _platform.CreateWorkspaceAsync("doomed");
        await SetAsync(doomed, "a", "gone");

        (await _platform.CliAsync("workspace", "delete", "doomed", "--yes")).ShouldSucceed();

        await using var catalog = _platform.Catalog();
        Assert.False(await catalog.WorkspaceKeys.AnyAsync(k => k.WorkspaceId == doomed.Id, TestContext.Current.CancellationToken));
        Assert.True(await catalog.WorkspaceKeys.AnyAsync(k => k.WorkspaceId == _acme.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task EmbeddedEngine_CreatesAnOwnerOnlyMasterKeyFileOutsideTheDatabases()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var created = await platform.CreateWorkspaceAsync("acme");
        var view = new TestPlatformView(platform, _ => { });
        await using (view)
        {
            await view.SetAsync(created, "a", "embedded secret");
            Assert.Equal("embedded secret", await view.GetAsync(created, "a"));
        }

        var file = Path.Combine(platform.SqliteDirectory!, "master.key");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    private Task SetAsync(CreatedWorkspace workspace, string name, string value) => new TestPlatformView(_platform).SetAsync(workspace, name, value);

    private Task<string?> GetAsync(CreatedWorkspace workspace, string name) => new TestPlatformView(_platform).GetAsync(workspace, name);

    private static async Task<string> RawAsync(CreatedWorkspace workspace, string name) =>
        (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, $"SELECT value_encrypted FROM workspace_secrets WHERE name = '{name}'")).Single();

    private static Task WriteRawAsync(CreatedWorkspace workspace, string name, string value) =>
        TestCluster.A.ExecuteAsync(workspace.DatabaseName, $"UPDATE workspace_secrets SET value_encrypted = '{value}' WHERE name = '{name}'");

    /// <summary>The platform's catalog and databases seen through a process with its own configuration and key cache.</summary>
    private sealed class TestPlatformView : IAsyncDisposable
    {
        private readonly TestPlatform _platform;
        private readonly ServiceProvider? _services;

        public TestPlatformView(TestPlatform platform, Action<Dictionary<string, string?>>? configure = null)
        {
            _platform = platform;
            if (configure is not null)
            {
                var configuration = new Dictionary<string, string?>(platform.Configuration);
                configure(configuration);
                _services = TestPlatform.BuildServices(configuration);
            }
        }

        private IServiceProvider Services => _services ?? _platform.Services;

        public async Task SetAsync(CreatedWorkspace workspace, string name, string value)
        {
            await using var db = await OpenAsync(workspace);
            await Secrets(db, workspace).SetAsync(name, value, CancellationToken.None);
        }

        public async Task<string?> GetAsync(CreatedWorkspace workspace, string name)
        {
            await using var db = await OpenAsync(workspace);
            return await Secrets(db, workspace).GetAsync(name, CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            if (_services is not null)
            {
                await _services.DisposeAsync();
            }
        }

        private WorkspaceSecrets Secrets(OnTrackio.WorkspaceData.WorkspaceDbContext db, CreatedWorkspace workspace) =>
            new(db, workspace.Id, Services.GetRequiredService<FieldProtector>(), TimeProvider.System);

        private async Task<OnTrackio.WorkspaceData.WorkspaceDbContext> OpenAsync(CreatedWorkspace workspace)
        {
            var engine = Services.GetRequiredService<IDatabaseEngine>();
            await using var catalog = engine.CreateCatalogContext();
            var row = await catalog.Workspaces.SingleAsync(w => w.Id == workspace.Id);
            var server = await catalog.DatabaseServers.SingleAsync(s => s.Id == row.ServerId);
            return engine.CreateWorkspaceContext(WorkspaceLocation.Of(row, server));
        }
    }
}
