using System.Net;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

public sealed class KeyRingTests
{
    [Fact]
    public async Task KeyRing_IsSharedByWebHostsThroughTheCatalog_AndEncryptedWithTheMasterKey()
    {
        await using var platform = await TestPlatform.PostgresAsync();
        var workspace = await platform.CreateWorkspaceAsync("acme");
        await using var first = await platform.StartWebHostAsync();
        await using var second = await platform.StartWebHostAsync();
        var session = new BrowserSession(first, "acme.localhost");
        using (var accepted = await session.SubmitAsync(
            new Uri(workspace.InvitationLink).AbsolutePath,
            new Dictionary<string, string> { ["password"] = "a long enough passphrase" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        // The session made on one host is honoured by another: the key ring is shared, not per machine.
        var elsewhere = new BrowserSession(second, "acme.localhost");
        elsewhere.SetCookie("ontrackio.session", session.Cookies["ontrackio.session"]);
        using var me = await elsewhere.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        var stored = await TestCluster.A.QueryAsync<string>(platform.CatalogDatabase, "SELECT xml FROM data_protection_keys");
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.Contains("encryptedKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }
}
