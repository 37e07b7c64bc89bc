using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Webhooks;

namespace OnTrackio.Tests.Webhooks;

/// <summary>Endpoints through the API and the settings pages: admins only, secrets shown once and sealed at rest, and each workspace's its own.</summary>
public sealed partial class WebhookApiTests : IAsyncLifetime
{
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _alpha = null!;
    private CreatedWorkspace _beta = null!;
    private BrowserSession _alphaOwner = null!;
    private BrowserSession _betaOwner = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync(configure: c => WebhookSteps.Configure(c));
        _alpha = await _platform.CreateWorkspaceAsync("alpha");
        _beta = await _platform.CreateWorkspaceAsync("beta");
        _host = await _platform.StartWebHostAsync();
        _alphaOwner = await BrowserSession.AcceptInvitationAsync(_host, _alpha.InvitationLink, WebhookSteps.Password);
        _betaOwner = await BrowserSession.AcceptInvitationAsync(_host, _beta.InvitationLink, WebhookSteps.Password);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Create_ReturnsTheSecretOnce_AndTheDatabaseHoldsOnlyItsCiphertext()
    {
        var created = await _alphaOwner.CreateWebhookAsync("https://hooks.example.com/ontrackio", ["asset.created", "person.updated"]);
        var listed = await ReadAsync<List<WebhookView>>(_alphaOwner, "/api/v1/webhooks");
        using var one = await _alphaOwner.GetAsync($"/api/v1/webhooks/{created.Webhook.Id}");

        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", created.Secret);
        Assert.Equal(32, Convert.FromBase64String(created.Secret["whsec_".Length..]).Length);
        Assert.Equal(["asset.created", "person.updated"], created.Webhook.EventTypes);
        Assert.True(created.Webhook.Enabled);
        Assert.Equal(created.Webhook.Id, Assert.Single(listed).Id);
        Assert.DoesNotContain("whsec_", await one.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var stored = Assert.Single(await TestCluster.A.QueryAsync<string>(_alpha.DatabaseName, "SELECT secret_encrypted FROM webhook_subscriptions"));
        Assert.StartsWith("otx1.", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Secret["whsec_".Length..], stored, StringComparison.Ordinal);
        var everything = string.Join("\n", await TestCluster.A.QueryAsync<string>(
            _alpha.DatabaseName, "SELECT row_to_json(s)::text FROM webhook_subscriptions s UNION ALL SELECT row_to_json(a)::text FROM audit_events a"));
        Assert.DoesNotContain(created.Secret["whsec_".Length..], everything, StringComparison.Ordinal);
        Assert.Contains("WebhookCreated", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_IsRefusedWithEveryReason_AndNothingIsWritten()
    {
        using var refused = await _alphaOwner.PostJsonAsync("/api/v1/webhooks", new WebhookInput
        {
            Url = "http://hooks.example.com/",
            Description = new string('x', 201),
            EventTypes = ["asset.created", "asset.exploded"],
        });
        using var none = await _alphaOwner.PostJsonAsync("/api/v1/webhooks", new WebhookInput { Url = "https://hooks.example.com/", EventTypes = [] });
        var problem = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("must use https://", problem, StringComparison.Ordinal);
        Assert.Contains("longer than 200", problem, StringComparison.Ordinal);
        Assert.Contains("asset.exploded", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(["0"], await TestCluster.A.QueryAsync<string>(_alpha.DatabaseName, "SELECT count(*)::text FROM webhook_subscriptions"));
    }

    [Fact]
    public async Task Update_Rotate_AndDelete_AreAudited()
    {
        var created = await _alphaOwner.CreateWebhookAsync("https://hooks.example.com/a");

        using var updated = await _alphaOwner.PutJsonAsync($"/api/v1/webhooks/{created.Webhook.Id}", new WebhookInput { Url = "https://hooks.example.com/b", Enabled = false });
        using var rotated = await _alphaOwner.PostJsonAsync($"/api/v1/webhooks/{created.Webhook.Id}/rotate-secret", new { });
        using var deleted = await _alphaOwner.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{created.Webhook.Id}");
        using var gone = await _alphaOwner.GetAsync($"/api/v1/webhooks/{created.Webhook.Id}");

        var view = (await updated.Content.ReadFromJsonAsync<WebhookView>(TestContext.Current.CancellationToken))!;
        Assert.Equal("https://hooks.example.com/b", view.Url);
        Assert.False(view.Enabled);
        Assert.True(view.AllEvents);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.StartsWith("whsec_", (await rotated.Content.ReadFromJsonAsync<WebhookWithSecret>(TestContext.Current.CancellationToken))!.Secret, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(
            ["WebhookCreated", "WebhookUpdated", "WebhookSecretRotated", "WebhookDeleted"],
            await TestCluster.A.QueryAsync<string>(_alpha.DatabaseName, "SELECT type FROM audit_events WHERE entity_type = 'webhook' ORDER BY id"));
    }

    [Fact]
    public async Task AnotherWorkspacesEndpoint_IsNotFound_InTheApiAndOnThePages()
    {
        var alphas = await _alphaOwner.CreateWebhookAsync("https://hooks.example.com/alpha");
        var path = $"/api/v1/webhooks/{alphas.Webhook.Id}";

        using var read = await _betaOwner.GetAsync(path);
        using var put = await _betaOwner.PutJsonAsync(path, new WebhookInput { Url = "https://attacker.example.com/" });
        using var rotate = await _betaOwner.PostJsonAsync(path + "/rotate-secret", new { });
        using var deliveries = await _betaOwner.GetAsync(path + "/deliveries");
        using var delete = await _betaOwner.SendAsync(HttpMethod.Delete, path);
        using var page = await _betaOwner.GetAsync($"/settings/webhooks/{alphas.Webhook.Id}");
        var betaList = await ReadAsync<List<WebhookView>>(_betaOwner, "/api/v1/webhooks");

        Assert.All([read, put, rotate, deliveries, delete], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Empty(betaList);
        Assert.Equal("https://hooks.example.com/alpha", (await _alphaOwner.WebhookAsync(alphas.Webhook.Id)).Url);
    }

    [Fact]
    public async Task EachWorkspacesEvents_ReachOnlyItsOwnEndpoints()
    {
        await using var alphaReceiver = await TestWebhookReceiver.StartAsync();
        await using var betaReceiver = await TestWebhookReceiver.StartAsync();
        await _alphaOwner.CreateWebhookAsync(alphaReceiver.Url());
        await _betaOwner.CreateWebhookAsync(betaReceiver.Url());

        await Assets.RegisterSteps.CreatePersonAsync(_alphaOwner, "Alice", "alice@alpha.example");
        await Assets.RegisterSteps.CreatePersonAsync(_betaOwner, "Bob", "bob@beta.example");
        await Assets.RegisterSteps.CreatePersonAsync(_alphaOwner, "Carol", "carol@alpha.example");

        var alphaGot = await alphaReceiver.WaitForAsync(2);
        var betaGot = await betaReceiver.WaitForAsync(1);
        Assert.Equal(["Alice", "Carol"], alphaGot.Select(r => r.Event().Data.GetProperty("label").GetString()).Order());
        Assert.Equal("Bob", Assert.Single(betaGot).Event().Data.GetProperty("label").GetString());
        Assert.All(alphaGot, r => Assert.DoesNotContain("beta.example", r.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Integrator_WithTokens_SubscribesAnEndpoint_AndReceivesSignedEventsOfTheChangesItMakes()
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        var token = await ApiTokens.TokenSteps.CreateTokenAsync(_alphaOwner, "integration", ["assets:write", "reference:write", "webhooks:write"]);
        var readOnly = await ApiTokens.TokenSteps.CreateTokenAsync(_alphaOwner, "reader", ["assets:read"]);
        var api = ApiTokens.TokenSteps.Client(_host, "alpha.localhost", token);

        using var subscribed = await api.PostJsonAsync("/api/v1/webhooks", new WebhookInput { Url = receiver.Url(), EventTypes = ["asset.created"] });
        var webhook = (await subscribed.Content.ReadFromJsonAsync<WebhookWithSecret>(TestContext.Current.CancellationToken))!;
        using var model = await api.PostJsonAsync("/api/v1/models", new OnTrackio.Register.ReferenceInput { Name = "Token model", CategoryId = OnTrackio.Register.ReferenceDefaults.Laptops });
        var modelId = (await model.Content.ReadFromJsonAsync<OnTrackio.Register.ReferenceView>(TestContext.Current.CancellationToken))!.Id;
        using var asset = await api.PostJsonAsync("/api/v1/assets", new OnTrackio.Assets.AssetInput { Tag = "TOK-1", ModelId = modelId, StatusLabelId = OnTrackio.Register.ReferenceDefaults.ReadyToDeploy });
        using var refused = await ApiTokens.TokenSteps.Client(_host, "alpha.localhost", readOnly).GetAsync("/api/v1/webhooks");

        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, asset.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var received = Assert.Single(await receiver.WaitForAsync(1));
        Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, received));
        var data = received.Event().Data;
        Assert.Equal("TOK-1", data.GetProperty("label").GetString());
        Assert.Equal("token", data.GetProperty("actor").GetProperty("type").GetString());
    }

    [Fact]
    public async Task OnlyOwnersAndAdmins_ReachWebhooks()
    {
        using var invited = await _alphaOwner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("manager@alpha.example", WorkspaceRoles.AssetManager));
        var manager = await BrowserSession.AcceptInvitationAsync(_host, (await invited.Content.ReadFromJsonAsync<IssuedInvitation>(TestContext.Current.CancellationToken))!.Link, WebhookSteps.Password);

        using var list = await manager.GetAsync("/api/v1/webhooks");
        using var create = await manager.PostJsonAsync("/api/v1/webhooks", new WebhookInput { Url = "https://hooks.example.com/" });
        using var page = await manager.GetAsync("/settings/webhooks");

        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
    }

    [Fact]
    public async Task SettingsPage_AddsAnEndpoint_ShowsItsSecretOnce_AndShowsRefusalsBesideTheField()
    {
        using var refused = await _alphaOwner.SubmitFormAsync("/settings/webhooks", [new("Url", "https://10.0.0.5/hook"), new("AllEvents", "true")], "/settings/webhooks");
        var refusedHtml = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var added = await _alphaOwner.SubmitFormAsync(
            "/settings/webhooks",
            [new("Url", "https://hooks.example.com/page"), new("Description", "Service desk"), new("AllEvents", "false"),
                new("EventTypes", "asset.created"), new("EventTypes", "asset.checked_out"), new("Enabled", "true"), new("Enabled", "false")],
            "/settings/webhooks");
        var addedHtml = await added.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var again = await _alphaOwner.GetAsync("/settings/webhooks");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("class=\"field-error\" id=\"url-error\"", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("internal address", refusedHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        // As a browser reads it: Razor writes a '+' of the base64 secret as &#x2B; (one secret in 64 starts with one).
        var secret = Secret().Match(WebUtility.HtmlDecode(addedHtml)).Value;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var html = WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.Contains("https://hooks.example.com/page", html, StringComparison.Ordinal);
        var webhook = Assert.Single(await ReadAsync<List<WebhookView>>(_alphaOwner, "/api/v1/webhooks"));
        Assert.Equal(["asset.created", "asset.checked_out"], webhook.EventTypes);
        Assert.Equal("Service desk", webhook.Description);
        Assert.True(webhook.Enabled);
        using var details = await _alphaOwner.GetAsync($"/settings/webhooks/{webhook.Id}");
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        Assert.Contains("Delivery log", await details.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailsPage_ShowsTheDeliveryLog_AndSendsADeliveryAgain()
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        var webhook = await _alphaOwner.CreateWebhookAsync(receiver.Url());
        await Assets.RegisterSteps.CreatePersonAsync(_alphaOwner, "Paged Person", "paged@alpha.example");
        var delivery = Assert.Single(await _alphaOwner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded));
        var path = $"/settings/webhooks/{webhook.Webhook.Id}";

        using var log = await _alphaOwner.GetAsync($"{path}?delivery={delivery.Id}");
        var html = await log.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var resent = await _alphaOwner.SubmitFormAsync($"{path}?handler=Redeliver", [new("deliveryId", delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))], path);

        Assert.Contains("person.created", html, StringComparison.Ordinal);
        Assert.Contains(delivery.MessageId, html, StringComparison.Ordinal);
        Assert.Contains("Paged Person", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        var twice = await receiver.WaitForAsync(2);
        Assert.Equal(twice[0].Id, twice[1].Id);
    }

    private static async Task<T> ReadAsync<T>(BrowserSession session, string path)
    {
        using var response = await session.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    [GeneratedRegex("whsec_[A-Za-z0-9+/=]+")]
    private static partial Regex Secret();
}
