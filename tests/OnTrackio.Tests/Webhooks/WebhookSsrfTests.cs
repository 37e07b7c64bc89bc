using System.Net;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Webhooks;

namespace OnTrackio.Tests.Webhooks;

/// <summary>
/// An endpoint URL is an admin's input, and the platform must not be made to call its own network with it: internal
/// addresses are refused when the URL is saved (written literally) and at every delivery (however the name resolves,
/// or however the stored URL came to be), and a redirect is never followed.
/// </summary>
public sealed class WebhookSsrfTests
{
    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://2130706433/hook")]
    [InlineData("https://[::ffff:127.0.0.1]/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("http://hooks.example.com/hook")]
    [InlineData("https://user:password@hooks.example.com/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    public void Url_InternalInsecureOrMalformed_IsRefusedWhenSaved(string url) =>
        Assert.False(WebhookUrl.TryParse(url, allowLoopback: false, out _, out _));

    [Theory]
    [InlineData("https://hooks.example.com/ontrackio?token=abc", false)]
    [InlineData("https://93.184.216.34:8443/hook", false)]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    public void Url_PublicHttpsOrLoopbackForTests_IsAccepted(string url, bool allowLoopback) =>
        Assert.True(WebhookUrl.TryParse(url, allowLoopback, out _, out var error), error);

    [Fact]
    public void Url_WithLoopbackAllowed_StillRefusesOtherInternalAddresses() =>
        Assert.False(WebhookUrl.TryParse("https://169.254.169.254/", allowLoopback: true, out _, out _));

    [Fact]
    public async Task Api_RefusesAnInternalUrl_WithAProblem()
    {
        await using var platform = await TestPlatform.PostgresAsync(configure: c => WebhookSteps.Configure(c, allowLoopback: false));
        var workspace = await platform.CreateWorkspaceAsync("ssrf");
        var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, WebhookSteps.Password);

        using var refused = await owner.PostJsonAsync("/api/v1/webhooks", new WebhookInput { Url = "https://2130706433/hook" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("internal address", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_ToAnyInternalAddress_IsRefusedBeforeConnecting()
    {
        using var dns = new TestDnsServer();
        await using var receiver = await TestWebhookReceiver.StartAsync();
        dns.AddA("loopback.hooks.test", IPAddress.Loopback);
        dns.AddA("private.hooks.test", IPAddress.Parse("10.0.0.5"));
        dns.AddA("metadata.hooks.test", IPAddress.Parse("169.254.169.254"));
        dns.AddAaaa("mapped.hooks.test", IPAddress.Parse("::ffff:127.0.0.1"));
        dns.AddA("mixed.hooks.test", IPAddress.Parse("93.184.216.34"));
        dns.AddA("mixed.hooks.test", IPAddress.Parse("10.0.0.5"));
        await using var platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            WebhookSteps.Configure(c, allowLoopback: false, "00:10:00");
            c["OnTrackio:Webhooks:DnsServers:0"] = dns.Endpoint;
        });
        var workspace = await platform.CreateWorkspaceAsync("ssrf");
        var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, WebhookSteps.Password);
        var port = receiver.Port;

        // Names pass when saved (what they resolve to is checked when it matters); literal forms and plain HTTP are
        // refused when saved, so those are stored the way a bug or a database edit might, to show delivery refuses them too.
        string[] byName = ["https://private.hooks.test/hook", "https://metadata.hooks.test/latest/meta-data/", "https://mixed.hooks.test/hook", $"https://mapped.hooks.test:{port}/hook"];
        string[] stored = [$"http://loopback.hooks.test:{port}/hook", $"http://127.0.0.1:{port}/hook", $"http://2130706433:{port}/hook", $"http://[::ffff:127.0.0.1]:{port}/hook", "http://169.254.169.254/latest/meta-data/"];
        var ids = new List<Guid>();
        foreach (var url in byName)
        {
            ids.Add((await owner.CreateWebhookAsync(url)).Webhook.Id);
        }

        foreach (var url in stored)
        {
            var id = (await owner.CreateWebhookAsync("https://placeholder.hooks.test/")).Webhook.Id;
            await TestCluster.A.ExecuteAsync(workspace.DatabaseName, $"UPDATE webhook_subscriptions SET url = '{url}' WHERE id = '{id}'");
            ids.Add(id);
        }

        await owner.CreatePersonAsync("Eve", "eve@ssrf.example");

        foreach (var id in ids)
        {
            var delivery = Assert.Single(await owner.WaitForDeliveriesAsync(id, d => d.Count == 1 && d[0].Attempts == 1));
            var url = (await owner.WebhookAsync(id)).Url;
            Assert.True(delivery.LastError?.Contains("not public", StringComparison.Ordinal) == true, $"{url}: {delivery.LastError}");
            Assert.Null(delivery.LastStatusCode);
        }

        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Delivery_AnsweredWithARedirect_IsAFailure_AndTheRedirectIsNotFollowed()
    {
        await using var redirecting = await TestWebhookReceiver.StartAsync();
        await using var target = await TestWebhookReceiver.StartAsync();
        redirecting.Answer((request, _) => new ReceiverAnswer(302, null, new Dictionary<string, string>
        {
            ["Location"] = request.Path == "/to-metadata" ? "http://169.254.169.254/latest/meta-data/" : target.Url("/internal"),
        }));
        await using var platform = await TestPlatform.PostgresAsync(configure: c => WebhookSteps.Configure(c, allowLoopback: true, "00:10:00"));
        var workspace = await platform.CreateWorkspaceAsync("redirects");
        var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, WebhookSteps.Password);
        var toTarget = await owner.CreateWebhookAsync(redirecting.Url("/to-target"));
        var toMetadata = await owner.CreateWebhookAsync(redirecting.Url("/to-metadata"));

        await owner.CreatePersonAsync("Mallory", "mallory@redirects.example");

        foreach (var webhook in new[] { toTarget, toMetadata })
        {
            var delivery = Assert.Single(await owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Attempts == 1));
            Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
            Assert.Equal(302, delivery.LastStatusCode);
            Assert.Contains("only a 2xx answer counts", delivery.LastError, StringComparison.Ordinal);
        }

        Assert.Equal(2, redirecting.Received.Count);
        Assert.Empty(target.Received);
    }
}
