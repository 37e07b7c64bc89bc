using System.Net;
using System.Net.Http.Json;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

public sealed class InvitationEmailTests
{
    private const string Password = "a long enough passphrase";

    [Fact]
    public async Task InviteColleague_DeliversTheLinkOverSmtp_AndTheLinkOpensOnlyInItsWorkspace()
    {
        using var smtp = new TestSmtpServer();
        await using var platform = await TestPlatform.PostgresAsync(configure: smtp.Configure);
        var acme = await platform.CreateWorkspaceAsync("acme", "Acme Ltd");
        await platform.CreateWorkspaceAsync("beta");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, acme.InvitationLink, Password);

        using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("colleague@acme.example", WorkspaceRoles.AssetManager));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);
        var message = await smtp.WaitForAsync(m => m.To.ToString().Contains("colleague@acme.example", StringComparison.Ordinal));

        Assert.True(issued!.Emailed);
        Assert.Contains("Acme Ltd", message.Subject, StringComparison.Ordinal);
        Assert.Contains(issued.Link, message.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("http://acme.localhost", issued.Link, StringComparison.Ordinal);
        var path = new Uri(issued.Link).AbsolutePath;
        Assert.Equal(HttpStatusCode.NotFound, (await new BrowserSession(host, "beta.localhost").GetAsync(path)).StatusCode);
        var colleague = await BrowserSession.AcceptInvitationAsync(host, issued.Link, Password);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task InviteColleague_SmtpUnreachable_KeepsTheInvitationAndReturnsTheLink()
    {
        await using var platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            c["OnTrackio:Email:SmtpHost"] = "127.0.0.1";
            c["OnTrackio:Email:SmtpPort"] = "1";
            c["OnTrackio:Email:SmtpSecurity"] = "None";
        });
        var acme = await platform.CreateWorkspaceAsync("acme");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, acme.InvitationLink, Password);

        using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("colleague@acme.example", WorkspaceRoles.Member));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        Assert.False(issued!.Emailed);
        await BrowserSession.AcceptInvitationAsync(host, issued.Link, Password);
    }

    [Fact]
    public async Task EmbeddedEngine_WritesMailToThePickupFolder()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var acme = await platform.CreateWorkspaceAsync("acme");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, acme.InvitationLink, Password);

        using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("colleague@acme.example", WorkspaceRoles.Member));
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken);

        var file = Assert.Single(Directory.GetFiles(Path.Combine(platform.SqliteDirectory!, "mail"), "*.eml"));
        var message = await MimeKit.MimeMessage.LoadAsync(file, TestContext.Current.CancellationToken);
        Assert.Contains(issued!.Link, message.TextBody, StringComparison.Ordinal);
        Assert.Equal("colleague@acme.example", message.To.Mailboxes.Single().Address);
    }
}
