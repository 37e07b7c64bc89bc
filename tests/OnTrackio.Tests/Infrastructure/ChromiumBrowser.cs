using System.Text.Json;
using PuppeteerSharp;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium (<see cref="HeadlessChromium.Executable"/>, never a downloaded browser), driven over the Chrome
/// DevTools Protocol with PuppeteerSharp, for UI tests that click through pages with scripts running. Each instance
/// has its own throwaway profile, so cookies and credentials never carry from one test to another.
/// Workspace hosts are <c>http://&lt;slug&gt;.localhost:&lt;port&gt;</c>: Chromium resolves <c>*.localhost</c> to loopback
/// itself, and treats those origins as secure contexts, which WebAuthn requires.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    private readonly IBrowser _browser;
    private readonly DirectoryInfo _profile;

    private ChromiumBrowser(IBrowser browser, DirectoryInfo profile)
    {
        _browser = browser;
        _profile = profile;
    }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("ontrackio-chromium-");
        try
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = HeadlessChromium.Executable,
                HeadlessMode = HeadlessMode.True,
                UserDataDir = profile.FullName,

                // Puppeteer adds its own headless switch.
                Args = [.. HeadlessChromium.Flags.Where(flag => flag != "--headless")],
                Timeout = 60_000,
            });
            return new ChromiumBrowser(browser, profile);
        }
        catch
        {
            profile.Delete(recursive: true);
            throw;
        }
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await _browser.NewPageAsync();
        page.DefaultTimeout = 30_000;
        page.DefaultNavigationTimeout = 30_000;
        return page;
    }

    /// <summary>
    /// Gives <paramref name="page"/>'s tab a virtual platform authenticator (CDP WebAuthn domain): CTAP2, built in,
    /// keeps discoverable credentials, verifies the user (as a fingerprint or PIN would) and answers without a prompt.
    /// It stays with the tab across navigations, so one authenticator can be taken from one workspace host to another.
    /// </summary>
    public static async Task<VirtualAuthenticator> AddVirtualAuthenticatorAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var session = await page.CreateCDPSessionAsync();
        await session.SendAsync("WebAuthn.enable", new { enableUI = false });
        var added = await session.SendAsync<JsonElement>("WebAuthn.addVirtualAuthenticator", new
        {
            options = new
            {
                protocol = "ctap2",
                transport = "internal",
                hasResidentKey = true,
                hasUserVerification = true,
                isUserVerified = true,
                automaticPresenceSimulation = true,
            },
        });
        return new VirtualAuthenticator(session, added.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Clicks <paramref name="selector"/> and waits for the page it leads to (through any redirects) to load.</summary>
    public static async Task ClickAndWaitAsync(IPage page, string selector)
    {
        ArgumentNullException.ThrowIfNull(page);
        var navigation = page.WaitForNavigationAsync();
        await page.ClickAsync(selector);
        await navigation;
    }

    /// <summary>The path and query of the page's current address.</summary>
    public static string PathOf(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Uri(page.Url).PathAndQuery;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; /tmp is cleaned by the OS.
        }
    }
}

/// <summary>A virtual authenticator in one tab; it can list the credentials it holds, as a test's evidence.</summary>
public sealed class VirtualAuthenticator(ICDPSession session, string id)
{
    public async Task<IReadOnlyList<VirtualCredential>> CredentialsAsync()
    {
        var result = await session.SendAsync<JsonElement>("WebAuthn.getCredentials", new { authenticatorId = id });
        return [.. result.GetProperty("credentials").EnumerateArray().Select(c => new VirtualCredential(
            c.GetProperty("credentialId").GetString()!,
            c.TryGetProperty("rpId", out var rpId) ? rpId.GetString() : null,
            c.GetProperty("isResidentCredential").GetBoolean(),
            c.GetProperty("signCount").GetInt64()))];
    }
}

/// <summary>A credential as the authenticator holds it (the id is base64, not base64url, as CDP reports it).</summary>
public sealed record VirtualCredential(string CredentialId, string? RpId, bool IsResident, long SignCount);
