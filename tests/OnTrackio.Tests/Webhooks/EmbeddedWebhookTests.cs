using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Webhooks;

namespace OnTrackio.Tests.Webhooks;

/// <summary>
/// The same outbox and delivery on the embedded default (SQLite), where the claim takes its SQLite path. (The import's
/// SQLite path adds its rows through EF, so the interceptor plans its events as for any save; uploads on SQLite fail
/// before that on main today, at the expiry sweep's DateTimeOffset comparison, so no import runs here.)
/// </summary>
public sealed class EmbeddedWebhookTests
{
    [Fact]
    public async Task Changes_AreDeliveredSigned_WithARetry()
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        receiver.AnswerInTurn(new ReceiverAnswer(500), ReceiverAnswer.Ok);
        await using var platform = await TestPlatform.SqliteAsync(c => WebhookSteps.Configure(c));
        var workspace = await platform.CreateWorkspaceAsync("embedded");
        var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, WebhookSteps.Password);
        var webhook = await owner.CreateWebhookAsync(receiver.Url());

        await owner.CreatePersonAsync("Linus Torvalds", "linus@embedded.example");
        var model = await owner.CreateModelAsync();
        await owner.CreateAssetAsync(model.Id);
        await owner.CreatePersonAsync("Guido van Rossum", "guido@embedded.example");

        var log = await owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 4 && d.All(x => x.Status == WebhookDeliveryStatus.Succeeded));
        var received = receiver.Received;
        Assert.Equal(5, received.Count);
        Assert.Equal(4, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(["asset.created", "model.created", "person.created", "person.created"], received.DistinctBy(r => r.Id).Select(r => r.Event().Type).Order());
        Assert.All(received, r => Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, r)));
        Assert.Equal(5, log.Sum(d => d.Attempts));
    }
}
