using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Web;

/// <summary>
/// The register's main journeys as an IT admin clicks through them, in Debian's Chromium driven by Playwright: sign
/// in, add a model, a person and an asset, check it out and in, find it, read its history and the audit log. The
/// locators are the labels and button names a person reads, so a page that loses a label fails here.
/// </summary>
public sealed class RegisterJourneyTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private const string Email = "it@journey.example";

    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private ChromiumBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync();
        _browser = await ChromiumBrowser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task Admin_AddsAModelAPersonAndAnAsset_ChecksItOutAndIn_FindsIt_AndReadsItsHistoryAndTheAuditLog()
    {
        var a = await AcceptedAsync("journeya");
        var b = await AcceptedAsync("journeyb");
        var page = await _browser.NewPageAsync();
        await SignInAsync(page, a);

        // A model, in the reference data.
        await page.GotoAsync($"{Origin(a)}/settings/reference");
        var modelForm = page.Locator("form", new() { Has = page.GetByLabel("New model") });
        await modelForm.GetByLabel("New model").FillAsync("Latitude 7450");
        await modelForm.Locator("select[name='Input.CategoryId']").SelectOptionAsync(new SelectOptionValue { Label = "Laptops" });
        await ClickAndWaitAsync(page, modelForm.GetByRole(AriaRole.Button, new() { Name = "Add model" }));
        await Expect(page.GetByText("Latitude 7450").First).ToBeVisibleAsync();

        // A person, in the directory.
        await page.GotoAsync($"{Origin(a)}/people/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ada Lovelace");
        await page.GetByLabel("Email").FillAsync("ada@journey.example");
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Add person" }));
        await Expect(page.GetByText("Ada Lovelace").First).ToBeVisibleAsync();

        // An asset of that model; the tag comes from the workspace's sequence.
        await page.GotoAsync($"{Origin(a)}/assets/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ada's laptop");
        await page.GetByLabel("Serial").FillAsync("JRNY-SN-0042");
        await page.GetByLabel("Model").SelectOptionAsync(new SelectOptionValue { Label = "Latitude 7450" });
        await page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Ready to deploy (Deployable)" });
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Add asset" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Ada's laptop");
        var assetPath = ChromiumBrowser.PathOf(page);
        Assert.Matches("^/assets/[0-9a-f-]{36}$", assetPath);
        var tag = (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Split(' ')[0];

        // Check out to Ada, then back in.
        await page.GetByLabel("To a person").SelectOptionAsync(new SelectOptionValue { Label = "Ada Lovelace" });
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Check out" }));
        await Expect(page.Locator("dd", new() { HasText = "Ada Lovelace (person)" })).ToBeVisibleAsync();
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Check in" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check out" })).ToBeVisibleAsync();

        // The timeline, newest first.
        var history = page.Locator("ol.timeline li");
        await Expect(history).ToHaveCountAsync(3);
        await Expect(history.Nth(0)).ToContainTextAsync("checked in");
        await Expect(history.Nth(1)).ToContainTextAsync("checked out");
        await Expect(history.Nth(2)).ToContainTextAsync("created");

        // Found by the start of its serial, case-insensitively.
        await page.GotoAsync($"{Origin(a)}/assets");
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync("jrny-sn");
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Find" }));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = tag })).ToBeVisibleAsync();

        // An import with one bad row: the dry run names its line and reason, and nothing can be committed.
        var bad = "tag,serial,name,model,status\r\nIMP-1,IMP-SN-1,Spare laptop,Latitude 7450,Ready to deploy\r\nIMP-2,IMP-SN-2,Broken import,No such model,Ready to deploy\r\n";
        await UploadAsync(page, a, "assets.csv", bad);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dry run" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var rejected = page.Locator("table", new() { Has = page.GetByText("Rejected rows") }).Locator("tbody tr");
        await Expect(rejected).ToHaveCountAsync(1);
        await Expect(rejected.Locator("td").First).ToHaveTextAsync("3");
        await Expect(rejected).ToContainTextAsync("No such model");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Commit") })).ToHaveCountAsync(0);

        // The file fixed and uploaded again: checked, committed with progress shown, and the new asset is found.
        await UploadAsync(page, a, "assets-fixed.csv", bad.Replace("No such model", "Latitude 7450", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dry run" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Commit 2 changes" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Imported" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GotoAsync($"{Origin(a)}/assets?q=imp-sn-2");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "IMP-2" })).ToBeVisibleAsync();

        // The audit log has every step, with the admin as actor.
        await page.GotoAsync($"{Origin(a)}/settings/audit-log");
        foreach (var type in new[] { "AssetCreated", "AssetCheckedOut", "AssetCheckedIn", "PersonCreated", "ImportCommitted" })
        {
            await Expect(page.Locator("td", new() { HasText = type }).First).ToBeVisibleAsync();
        }

        // The same browser at workspace B: the asset's address names nothing there.
        var atB = await page.GotoAsync($"{Origin(b)}{assetPath}");
        Assert.NotNull(atB);
        Assert.Equal("/account/sign-in", new Uri(page.Url).AbsolutePath);
        await SignInAsync(page, b);
        atB = await page.GotoAsync($"{Origin(b)}{assetPath}");
        Assert.Equal(404, atB!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        await page.GotoAsync($"{Origin(b)}/assets?q=jrny");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = tag })).ToHaveCountAsync(0);
    }

    private async Task UploadAsync(IPage page, CreatedWorkspace workspace, string name, string csv)
    {
        await page.GotoAsync($"{Origin(workspace)}/imports");
        await page.Locator("input[name=Kind][value=assets]").CheckAsync();
        await page.Locator("input[name=Upload]").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await ClickAndWaitAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Upload and check" }));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static Task ClickAndWaitAsync(IPage page, ILocator button) => ChromiumBrowser.RunAndWaitForLoadAsync(page, () => button.ClickAsync());

    private async Task SignInAsync(IPage page, CreatedWorkspace workspace)
    {
        await page.GotoAsync($"{Origin(workspace)}/account/sign-in");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        await ClickAndWaitAsync(page, page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }));
        Assert.NotEqual("/account/sign-in", new Uri(page.Url).AbsolutePath);
    }

    private string Origin(CreatedWorkspace workspace) => $"http://{workspace.Hostname}:{_host.Port}";

    private async Task<CreatedWorkspace> AcceptedAsync(string slug)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, Email), CancellationToken.None));
        await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password);
        return workspace;
    }
}
