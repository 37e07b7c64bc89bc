using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using Microsoft.Playwright;

namespace OnTrackio.Tests.Identity;

/// <summary>
/// Passkeys in a real browser: Chromium with a virtual platform authenticator (CDP WebAuthn domain) adds a passkey
/// through the page, signs in with it, and carries it to another workspace's host, where it must be worthless.
/// </summary>
public sealed class PasskeyBrowserTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private const string SharedEmail = "it@shared.example";
    private const string AddButton = "form[data-passkey=\"create\"] button[type=\"submit\"]";
    private const string PasskeyButton = "form[data-passkey=\"get\"] button[type=\"submit\"]";
    private const string PasswordButton = "main form:has(input[name=\"password\"]) button[type=\"submit\"]";

    // Close to real time: the browser judges cookies by its own clock, the server by this one.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private ChromiumBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync(time: _time);
        _browser = await ChromiumBrowser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task Passkey_AddedInTheBrowser_SignsInAtItsWorkspace_AndIsStoredOnlyInItsDatabase()
    {
        var a = await AcceptedAsync("keya");
        var b = await AcceptedAsync("keyb");
        var page = await _browser.NewPageAsync();
        var authenticator = await ChromiumBrowser.AddVirtualAuthenticatorAsync(page);
        await SignInWithPasswordAsync(page, a);

        var added = await AddPasskeyAsync(page, a, "Work laptop");

        Assert.Contains("Passkey added", added, StringComparison.Ordinal);
        Assert.Contains("Work laptop", added, StringComparison.Ordinal);
        var credential = Assert.Single(await authenticator.CredentialsAsync());
        Assert.Equal("keya.localhost", credential.RpId);
        Assert.True(credential.IsResident);
        Assert.Equal([SharedEmail], await TestCluster.A.QueryAsync<string>(a.DatabaseName, "SELECT u.email FROM user_passkeys p JOIN users u ON u.id = p.user_id"));
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(b.DatabaseName, "SELECT count(*) FROM user_passkeys"));
        Assert.Equal(["passkey \"Work laptop\""], await EventsAsync(a, "PasskeyAdded"));

        await SignOutAsync(page, a);
        await page.GotoAsync($"{Origin(a)}/account/sign-in?returnUrl=%2Faccount%2Fsessions");
        await ChromiumBrowser.ClickAndWaitAsync(page, PasskeyButton);

        Assert.Equal("/account/sessions", ChromiumBrowser.PathOf(page));
        Assert.Contains("Your sessions", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(["passkey \"Work laptop\""], await EventsAsync(a, "PasskeySignIn"));
        Assert.True(Assert.Single(await authenticator.CredentialsAsync()).SignCount > credential.SignCount);
    }

    [Fact]
    public async Task Passkey_FromWorkspaceA_IsWorthlessAtWorkspaceB_EvenForTheSameEmail()
    {
        var a = await AcceptedAsync("keya");
        var b = await AcceptedAsync("keyb");
        var page = await _browser.NewPageAsync();
        await ChromiumBrowser.AddVirtualAuthenticatorAsync(page);
        await SignInWithPasswordAsync(page, a);
        await AddPasskeyAsync(page, a, "Phone");
        await SignOutAsync(page, a);

        // At B the authenticator holds nothing for B's relying party, so the browser has no passkey to offer.
        await page.GotoAsync($"{Origin(b)}/account/sign-in");
        await page.ClickAsync(PasskeyButton);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-passkey-status]').textContent.startsWith('No passkey was used')");
        Assert.Equal("/account/sign-in", ChromiumBrowser.PathOf(page));
        Assert.DoesNotContain("ontrackio.session", (await page.Context.CookiesAsync()).Select(c => c.Name));

        // An assertion made at A, posted to B's handler as an attacker would: with no ceremony of B's, then with one.
        await page.GotoAsync($"{Origin(a)}/account/sign-in");
        var captured = await page.EvaluateAsync<string>(CaptureAssertion, "/account/sign-in/passkey?handler=Options");
        var atB = new BrowserSession(_host, b.Hostname);
        using var outOfTheBlue = await atB.SubmitAsync("/account/sign-in/passkey", BrowserSession.Form(("credential", captured)), tokenFrom: "/account/sign-in");
        using var options = await atB.SubmitAsync("/account/sign-in/passkey?handler=Options", BrowserSession.Form(), tokenFrom: "/account/sign-in");
        var optionsJson = await options.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var withCeremony = await atB.SubmitAsync("/account/sign-in/passkey", BrowserSession.Form(("credential", captured)), tokenFrom: "/account/sign-in");

        Assert.Equal(HttpStatusCode.BadRequest, outOfTheBlue.StatusCode);
        Assert.Contains("\"rpId\":\"keyb.localhost\"", optionsJson, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, withCeremony.StatusCode);
        Assert.DoesNotContain("ontrackio.session", atB.Cookies.Keys);
        Assert.Empty(await EventsAsync(b, "PasskeySignIn"));
        Assert.Equal(["passkey", "passkey"], await EventsAsync(b, "SignInFailed"));
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(b.DatabaseName, "SELECT count(*) FROM user_passkeys"));

        // The same assertion is good where it was made: B refused it for being B, not for being broken.
        await ChromiumBrowser.RunAndWaitForLoadAsync(page, () => page.EvaluateAsync(
            "json => { const form = document.querySelector('form[data-passkey=\"get\"]'); form.elements.credential.value = json; form.submit(); }", captured));
        Assert.Equal("/", ChromiumBrowser.PathOf(page));
        Assert.Equal(["passkey \"Phone\""], await EventsAsync(a, "PasskeySignIn"));
    }

    [Fact]
    public async Task PasskeysPage_WithoutARecentProof_AsksForOne_AndAPasskeyCanGiveIt_ThenRenameAndRemoveAreAudited()
    {
        var a = await AcceptedAsync("keyc");
        var page = await _browser.NewPageAsync();
        await ChromiumBrowser.AddVirtualAuthenticatorAsync(page);
        await SignInWithPasswordAsync(page, a);
        await page.GotoAsync($"{Origin(a)}/account/passkeys");

        // The page was opened in time, but the proof is stale by the time the person tries to add a passkey.
        _time.Advance(RecentAuthenticationWindowAndAMinute);
        await page.FillAsync("form[data-passkey=\"create\"] input[name=\"name\"]", "Too late");
        await ChromiumBrowser.ClickAndWaitAsync(page, AddButton);

        Assert.Equal("/account/reauthenticate?returnUrl=%2Faccount%2Fpasskeys", ChromiumBrowser.PathOf(page));
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(a.DatabaseName, "SELECT count(*) FROM user_passkeys"));

        await page.FillAsync("input[name=\"password\"]", Password);
        await ChromiumBrowser.ClickAndWaitAsync(page, PasswordButton);
        Assert.Equal("/account/passkeys", ChromiumBrowser.PathOf(page));
        await AddPasskeyAsync(page, a, "Security key");

        // Later, a passkey is itself the fresh proof.
        _time.Advance(RecentAuthenticationWindowAndAMinute);
        await page.GotoAsync($"{Origin(a)}/account/passkeys");
        Assert.StartsWith("/account/reauthenticate", ChromiumBrowser.PathOf(page), StringComparison.Ordinal);
        await ChromiumBrowser.ClickAndWaitAsync(page, PasskeyButton);
        Assert.Equal("/account/passkeys", ChromiumBrowser.PathOf(page));
        Assert.Equal(["password", "passkey \"Security key\""], await EventsAsync(a, "Reauthenticated"));

        await page.FillAsync("form[action*=\"handler=Rename\"] input[name=\"name\"]", "Blue key");
        await ChromiumBrowser.ClickAndWaitAsync(page, "form[action*=\"handler=Rename\"] button");
        Assert.Contains("Blue key", await page.ContentAsync(), StringComparison.Ordinal);
        await ChromiumBrowser.ClickAndWaitAsync(page, "form[action*=\"handler=Remove\"] button");

        Assert.Equal("/account/passkeys?done=removed", ChromiumBrowser.PathOf(page));
        Assert.Contains("You have no passkeys here yet", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal([0L], await TestCluster.A.QueryAsync<long>(a.DatabaseName, "SELECT count(*) FROM user_passkeys"));
        Assert.Equal(["passkey \"Blue key\""], await EventsAsync(a, "PasskeyRemoved"));
    }

    private static readonly TimeSpan RecentAuthenticationWindowAndAMinute = OnTrackio.Identity.RecentAuthentication.Window + TimeSpan.FromMinutes(1);

    /// <summary>What passkeys.js does for sign-in, except that the credential JSON is handed back instead of posted.</summary>
    private const string CaptureAssertion = """
        async optionsUrl => {
            const token = document.querySelector('form[data-passkey="get"] input[name="__RequestVerificationToken"]').value;
            const response = await fetch(optionsUrl, { method: 'POST', headers: { RequestVerificationToken: token } });
            const options = PublicKeyCredential.parseRequestOptionsFromJSON(await response.json());
            return JSON.stringify(await navigator.credentials.get({ publicKey: options }));
        }
        """;

    private string Origin(CreatedWorkspace workspace) => $"http://{workspace.Hostname}:{_host.Port}";

    private async Task<CreatedWorkspace> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, SharedEmail), CancellationToken.None));
        await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
        return workspace;
    }

    private async Task SignInWithPasswordAsync(IPage page, CreatedWorkspace workspace)
    {
        await page.GotoAsync($"{Origin(workspace)}/account/sign-in");
        await page.FillAsync("input[name=\"email\"]", SharedEmail);
        await page.FillAsync("input[name=\"password\"]", Password);
        await ChromiumBrowser.ClickAndWaitAsync(page, PasswordButton);
        Assert.Equal("/", ChromiumBrowser.PathOf(page));
    }

    /// <summary>Adds a passkey through the page's form and returns the page that follows.</summary>
    private async Task<string> AddPasskeyAsync(IPage page, CreatedWorkspace workspace, string name)
    {
        if (ChromiumBrowser.PathOf(page) != "/account/passkeys")
        {
            await page.GotoAsync($"{Origin(workspace)}/account/passkeys");
        }

        await page.FillAsync("form[data-passkey=\"create\"] input[name=\"name\"]", name);
        await ChromiumBrowser.ClickAndWaitAsync(page, AddButton);
        var html = await page.ContentAsync();
        Assert.True(ChromiumBrowser.PathOf(page) == "/account/passkeys?done=added", html);
        return html;
    }

    private async Task SignOutAsync(IPage page, CreatedWorkspace workspace)
    {
        await page.GotoAsync($"{Origin(workspace)}/");
        await ChromiumBrowser.ClickAndWaitAsync(page, "form[action=\"/account/sign-out\"] button");
        Assert.Contains("/account/sign-in", await page.ContentAsync(), StringComparison.Ordinal);
    }

    private static Task<List<string>> EventsAsync(CreatedWorkspace workspace, string type) =>
        TestCluster.A.QueryAsync<string>(workspace.DatabaseName, $"SELECT coalesce(subject, '') FROM audit_events WHERE type = '{type}' ORDER BY occurred_at, id");
}
