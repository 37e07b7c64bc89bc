using Microsoft.Playwright;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<see cref="HeadlessChromium.Executable"/>, never a downloaded browser), driven by Playwright for
/// .NET, for UI tests that click through pages with scripts running. Each instance is its own browser context, so
/// cookies and credentials never carry from one test to another.
/// Workspace hosts are <c>http://&lt;slug&gt;.localhost:&lt;port&gt;</c>: Chromium resolves <c>*.localhost</c> to loopback
/// itself, and treats those origins as secure contexts, which WebAuthn requires.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly IBrowserContext _context;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser, IBrowserContext context)
    {
        _playwright = playwright;
        _browser = browser;
        _context = context;
    }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = HeadlessChromium.Executable,
                Headless = true,

                // Playwright adds its own headless switch.
                Args = [.. HeadlessChromium.Flags.Where(flag => flag != "--headless")],
                Timeout = 60_000,
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
            context.SetDefaultTimeout(30_000);
            context.SetDefaultNavigationTimeout(30_000);
            return new ChromiumBrowser(playwright, browser, context);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public Task<IPage> NewPageAsync() => _context.NewPageAsync();

    /// <summary>
    /// Gives <paramref name="page"/>'s tab a virtual platform authenticator (CDP WebAuthn domain): CTAP2, built in,
    /// keeps discoverable credentials, verifies the user (as a fingerprint or PIN would) and answers without a prompt.
    /// It stays with the tab across navigations, so one authenticator can be taken from one workspace host to another.
    /// </summary>
    public static async Task<VirtualAuthenticator> AddVirtualAuthenticatorAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Clicks <paramref name="selector"/> and waits for the page it leads to (through any redirects) to load.</summary>
    public static Task ClickAndWaitAsync(IPage page, string selector)
    {
        ArgumentNullException.ThrowIfNull(page);
        return RunAndWaitForLoadAsync(page, () => page.ClickAsync(selector));
    }

    /// <summary>
    /// Runs <paramref name="action"/> and waits for the next page load. Playwright's own wait-for-navigation is
    /// deprecated in favour of waiting for a URL, but a form that posts back to its own address has no new URL to wait for.
    /// </summary>
    public static async Task RunAndWaitForLoadAsync(IPage page, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(action);
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await action();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>The path and query of the page's current address.</summary>
    public static string PathOf(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Uri(page.Url).PathAndQuery;
    }

    public async ValueTask DisposeAsync()
    {
        await _context.CloseAsync();
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>A virtual authenticator in one tab; it can list the credentials it holds, as a test's evidence.</summary>
public sealed class VirtualAuthenticator(ICDPSession session, string id)
{
    public async Task<IReadOnlyList<VirtualCredential>> CredentialsAsync()
    {
        var result = await session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = id });
        return [.. result!.Value.GetProperty("credentials").EnumerateArray().Select(c => new VirtualCredential(
            c.GetProperty("credentialId").GetString()!,
            c.TryGetProperty("rpId", out var rpId) ? rpId.GetString() : null,
            c.GetProperty("isResidentCredential").GetBoolean(),
            c.GetProperty("signCount").GetInt64()))];
    }
}

/// <summary>A credential as the authenticator holds it (the id is base64, not base64url, as CDP reports it).</summary>
public sealed record VirtualCredential(string CredentialId, string? RpId, bool IsResident, long SignCount);
