using System.Net;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

public sealed class PasswordResetTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private readonly TestSmtpServer _smtp = new();
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private BrowserSession _owner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: _smtp.Configure);
        var acme = await _platform.CreateWorkspaceAsync("acme");
        await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, acme.InvitationLink, Password);
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task Reset_ByEmailedLink_SetsTheNewPasswordOnceAndEndsEverySession()
    {
        var link = await RequestResetAsync("owner@acme.example");
        var visitor = new BrowserSession(_host, "acme.localhost");

        using var reset = await visitor.SubmitAsync(new Uri(link).PathAndQuery, BrowserSession.Form(
            ("user", Query(link, "user")), ("token", Query(link, "token")), ("newPassword", "a brand new passphrase")));
        using var again = await visitor.SubmitAsync(new Uri(link).PathAndQuery, BrowserSession.Form(
            ("user", Query(link, "user")), ("token", Query(link, "token")), ("newPassword", "yet another passphrase")));

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _owner.GetAsync("/api/v1/me")).StatusCode);
        await BrowserSession.SignInAsync(_host, "acme.localhost", "owner@acme.example", "a brand new passphrase");
    }

    [Fact]
    public async Task Reset_LinkFromAnotherWorkspace_FindsNoOne()
    {
        var link = await RequestResetAsync("owner@acme.example");
        var elsewhere = new BrowserSession(_host, "beta.localhost");

        using var reset = await elsewhere.SubmitAsync(new Uri(link).PathAndQuery, BrowserSession.Form(
            ("user", Query(link, "user")), ("token", Query(link, "token")), ("newPassword", "a brand new passphrase")));

        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _owner.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Forgot_UnknownAddress_LooksTheSameAndSendsNothing()
    {
        var visitor = new BrowserSession(_host, "acme.localhost");

        using var known = await visitor.SubmitAsync("/account/forgot", BrowserSession.Form(("email", "owner@acme.example")));
        using var unknown = await visitor.SubmitAsync("/account/forgot", BrowserSession.Form(("email", "nobody@acme.example")));

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        await _smtp.WaitForAsync(m => m.To.ToString().Contains("owner@acme.example", StringComparison.Ordinal));
        Assert.DoesNotContain(_smtp.Messages, m => m.To.ToString().Contains("nobody@", StringComparison.Ordinal));
    }

    private async Task<string> RequestResetAsync(string email)
    {
        var before = _smtp.Messages.Count;
        using var response = await new BrowserSession(_host, "acme.localhost").SubmitAsync("/account/forgot", BrowserSession.Form(("email", email)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = await _smtp.WaitForAsync(m => _smtp.Messages.Count > before && m.Subject?.StartsWith("Choose a new password", StringComparison.Ordinal) == true);
        return message.TextBody!.Split('\n').Single(line => line.Contains("/account/reset?", StringComparison.Ordinal)).Trim();
    }

    private static string Query(string link, string name) =>
        System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)[name]!;
}
