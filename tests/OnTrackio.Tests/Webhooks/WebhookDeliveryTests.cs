using System.Net;
using System.Text;
using OnTrackio.Assets;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Assets;
using OnTrackio.Tests.Importing;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Webhooks;

namespace OnTrackio.Tests.Webhooks;

/// <summary>Events of the register reaching a real HTTP receiver on loopback, signed, retried, and never for a change that did not happen.</summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly TestSmtpServer _smtp = new();
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;
    private CreatedWorkspace _workspace = null!;
    private BrowserSession _owner = null!;
    private TestWebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        _receiver = await TestWebhookReceiver.StartAsync();
        _platform = await TestPlatform.PostgresAsync(configure: c =>
        {
            _smtp.Configure(c);
            WebhookSteps.Configure(c);
        });
        _workspace = await _platform.CreateWorkspaceAsync("hooks", "Hooks Ltd");
        _host = await _platform.StartWebHostAsync();
        _owner = await BrowserSession.AcceptInvitationAsync(_host, _workspace.InvitationLink, WebhookSteps.Password);
    }

    public async ValueTask DisposeAsync()
    {
        await _platform.DisposeAsync();
        await _receiver.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task RegisterChanges_AreDeliveredSigned_WithFieldChanges_AndVerifyIndependently()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        var model = await _owner.CreateModelAsync();
        var asset = await _owner.CreateAssetAsync(model.Id, tag: "HOOK-1");
        var ada = await _owner.CreatePersonAsync("Ada Lovelace", "ada@hooks.example");
        var edit = RegisterSteps.EditOf(asset);
        edit.Notes = "new battery";
        (await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", edit, ("If-Match", asset.ETag))).Dispose();
        (await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkout", new CheckOutInput { PersonId = ada.Id })).Dispose();
        (await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/checkin", new { note = "back" })).Dispose();
        (await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/assets/{asset.Id}")).Dispose();
        (await _owner.PostJsonAsync($"/api/v1/assets/{asset.Id}/restore", new { })).Dispose();

        string[] expected = ["model.created", "asset.created", "person.created", "asset.updated", "asset.checked_out", "asset.checked_in", "asset.deleted", "asset.restored"];
        var received = await _receiver.WaitForAsync(expected.Length);

        Assert.Equal(expected.Order(), received.Select(r => r.Event().Type).Order());
        Assert.All(received, r => Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, r), $"signature of {r.Id} does not verify"));
        Assert.All(received, r => Assert.StartsWith("msg_", r.Id, StringComparison.Ordinal));
        Assert.Equal(received.Count, received.Select(r => r.Id).Distinct().Count());
        Assert.False(StandardWebhooksVerifier.Verify("whsec_" + Convert.ToBase64String(new byte[32]), received[0]), "a wrong secret verified");
        var updated = received.Single(r => r.Event().Type == "asset.updated").Event().Data;
        Assert.Equal(asset.Id.ToString(), updated.GetProperty("id").GetString());
        Assert.Equal("HOOK-1", updated.GetProperty("label").GetString());
        var change = updated.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "notes");
        Assert.Equal("new battery", change.GetProperty("after").GetString());
        Assert.Equal("owner@hooks.example", updated.GetProperty("actor").GetProperty("label").GetString());
        var checkedOut = received.Single(r => r.Event().Type == "asset.checked_out").Event().Data;
        Assert.Contains(checkedOut.GetProperty("changes").EnumerateArray(), c => c.GetProperty("after").GetString() == ada.Id.ToString());
        var log = await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == expected.Length && d.All(x => x.Status == WebhookDeliveryStatus.Succeeded));
        Assert.All(log, d => Assert.Equal(1, d.Attempts));
    }

    [Fact]
    public async Task FailingEndpoint_IsRetriedWithBackOff_UnderOneWebhookId_UntilItAnswers2xx()
    {
        _receiver.AnswerInTurn(new ReceiverAnswer(500, "database down"), new ReceiverAnswer(502), ReceiverAnswer.Ok);
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());

        await _owner.CreatePersonAsync("Grace Hopper", "grace@hooks.example");

        var received = await _receiver.WaitForAsync(3);
        var log = await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded);
        var details = await _owner.DeliveryAsync(webhook.Webhook.Id, log[0].Id);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Equal(log[0].MessageId, received[0].Id);
        Assert.All(received, r => Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, r)));
        Assert.Equal(3, log[0].Attempts);
        Assert.Equal([200, 502, 500], details.Attempts.Select(a => a.StatusCode));
        Assert.Equal("database down", details.Attempts[2].ResponseExcerpt);

        // The schedule's waits (200 ms, then 300 ms, less 10% jitter) separate the attempts as recorded.
        Assert.True(details.Attempts[1].AttemptedAt - details.Attempts[2].AttemptedAt >= TimeSpan.FromMilliseconds(180));
        Assert.True(details.Attempts[0].AttemptedAt - details.Attempts[1].AttemptedAt >= TimeSpan.FromMilliseconds(270));
    }

    [Fact]
    public async Task TooManyRequests_WaitsAsLongAsRetryAfterAsks()
    {
        _receiver.AnswerInTurn(new ReceiverAnswer(429, null, new Dictionary<string, string> { ["Retry-After"] = "2" }), ReceiverAnswer.Ok);
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());

        await _owner.CreatePersonAsync("Alan Turing", "alan@hooks.example");

        var received = await _receiver.WaitForAsync(2);
        var log = await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded);
        var attempts = (await _owner.DeliveryAsync(webhook.Webhook.Id, log[0].Id)).Attempts;
        Assert.Equal([200, 429], attempts.Select(a => a.StatusCode));

        // The schedule alone would have retried after 200 ms; the endpoint asked for 2 s.
        Assert.True(attempts[0].AttemptedAt - attempts[1].AttemptedAt >= TimeSpan.FromSeconds(2));
        Assert.True(received[1].ArrivedAt - received[0].ArrivedAt >= TimeSpan.FromSeconds(1.9));
    }

    [Fact]
    public async Task Gone_TurnsTheEndpointOff_EmailsTheAdmins_AndLaterChangesQueueNothing()
    {
        _receiver.AnswerInTurn(new ReceiverAnswer(410));
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());

        await _owner.CreatePersonAsync("Edsger Dijkstra", "edsger@hooks.example");

        var off = await _owner.WaitForWebhookAsync(webhook.Webhook.Id, w => !w.Enabled);
        var mail = await _smtp.WaitForAsync(m => m.Subject?.Contains("Webhook endpoint turned off", StringComparison.Ordinal) == true);
        await _owner.CreatePersonAsync("Barbara Liskov", "barbara@hooks.example");
        Assert.Contains("410", off.DisabledReason, StringComparison.Ordinal);
        Assert.Equal("owner@hooks.example", mail.To.Mailboxes.Single().Address);
        Assert.Contains(_receiver.Url(), mail.TextBody, StringComparison.Ordinal);
        Assert.Matches($@"http://hooks\.localhost(:\d+)?/settings/webhooks/{webhook.Webhook.Id}", mail.TextBody);
        Assert.Single(_receiver.Received);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(await _owner.DeliveriesAsync(webhook.Webhook.Id)).Status);
        Assert.Equal(["1"], await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT count(*)::text FROM webhook_deliveries"));
        Assert.Contains("WebhookDisabled", await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task RetriesSpent_TurnTheEndpointOff_AndEmailTheAdmins()
    {
        _receiver.AnswerInTurn(new ReceiverAnswer(503, "maintenance"));
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());

        await _owner.CreatePersonAsync("Donald Knuth", "donald@hooks.example");

        var off = await _owner.WaitForWebhookAsync(webhook.Webhook.Id, w => !w.Enabled);
        await _smtp.WaitForAsync(m => m.TextBody?.Contains(_receiver.Url(), StringComparison.Ordinal) == true);
        var delivery = Assert.Single(await _owner.DeliveriesAsync(webhook.Webhook.Id));
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(4, delivery.Attempts);
        Assert.Equal(4, _receiver.Received.Count);
        Assert.Contains("failed 4 times", off.DisabledReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolledBackChange_WritesNoEvent_AndTheNextChangeIsDeliveredAlone()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url(), ["asset.updated"]);
        var asset = await _owner.CreateAssetAsync((await _owner.CreateModelAsync()).Id);
        await TestCluster.A.ExecuteAsync(_workspace.DatabaseName, """
            CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.notes = 'boom' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_boom BEFORE UPDATE ON assets FOR EACH ROW EXECUTE FUNCTION refuse_boom();
            """);
        var boom = RegisterSteps.EditOf(asset);
        boom.Notes = "boom";
        var fine = RegisterSteps.EditOf(asset);
        fine.Notes = "fine";

        using var failed = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", boom, ("If-Match", asset.ETag));
        using var saved = await _owner.SendJsonAsync(HttpMethod.Put, $"/api/v1/assets/{asset.Id}", fine, ("If-Match", asset.ETag));

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("\"after\":\"fine\"", received.Text, StringComparison.Ordinal);
        Assert.Equal(["1"], await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT count(*)::text FROM webhook_events"));
        Assert.Single(await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded));
    }

    [Fact]
    public async Task Import_CommittedByCopy_EmitsAnEventPerRow()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url(), ["person.created", "import.committed"]);
        var csv = "name,email\nKaren Spärck Jones,karen@hooks.example\nFrances Allen,frances@hooks.example\nJean Sammet,jean@hooks.example\n";

        var job = await _owner.DryRunAsync(_host, "people", csv);
        await _owner.CommitAsync(job.Id);

        var received = await _receiver.WaitForAsync(4);
        Assert.Equal(["import.committed", "person.created", "person.created", "person.created"], received.Select(r => r.Event().Type).Order());
        Assert.Equal(
            ["Frances Allen", "Jean Sammet", "Karen Spärck Jones"],
            received.Where(r => r.Event().Type == "person.created").Select(r => r.Event().Data.GetProperty("label").GetString()).Order());
        Assert.All(received, r => Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, r)));
    }

    [Fact]
    public async Task RotatedSecret_SignsBesideThePreviousOne_AndEitherVerifies()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        using var rotation = await _owner.PostJsonAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/rotate-secret", new { });
        var rotated = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<WebhookWithSecret>(rotation.Content, TestContext.Current.CancellationToken))!;

        await _owner.CreatePersonAsync("Ken Thompson", "ken@hooks.example");

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.NotEqual(webhook.Secret, rotated.Secret);
        Assert.NotNull(rotated.Webhook.PreviousSecretExpiresAt);
        Assert.Equal(2, received.Signature.Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(rotated.Secret, received));
        Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, received));
    }

    [Fact]
    public async Task WorkspaceKeyRotation_ReencryptsBothSecrets_AndTheyStillSign()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        using var rotation = await _owner.PostJsonAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/rotate-secret", new { });
        var rotated = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<WebhookWithSecret>(rotation.Content, TestContext.Current.CancellationToken))!;
        const string Sealed = "SELECT secret_encrypted || ' ' || previous_secret_encrypted FROM webhook_subscriptions";
        var before = Assert.Single(await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, Sealed));

        (await _platform.CliAsync("keys", "rotate", "--workspace", "hooks")).ShouldSucceed();
        await _owner.CreatePersonAsync("Frances Allen", "frances@hooks.example");

        var after = Assert.Single(await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, Sealed));
        var received = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.All(before.Split(' '), envelope => Assert.StartsWith("otx1.1.", envelope, StringComparison.Ordinal));
        Assert.All(after.Split(' '), envelope => Assert.StartsWith("otx1.2.", envelope, StringComparison.Ordinal));
        Assert.True(StandardWebhooksVerifier.Verify(rotated.Secret, received));
        Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, received));
    }

    [Fact]
    public async Task Redelivery_SendsTheSameMessageAgain()
    {
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        await _owner.CreatePersonAsync("Dennis Ritchie", "dennis@hooks.example");
        var first = Assert.Single(await _receiver.WaitForAsync(1));
        var delivery = Assert.Single(await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded));

        using var redelivered = await _owner.PostJsonAsync($"/api/v1/webhooks/{webhook.Webhook.Id}/deliveries/{delivery.Id}/redeliver", new { });

        var again = await _receiver.WaitForAsync(2);
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        Assert.Equal(first.Id, again[1].Id);
        Assert.Equal(first.Body, again[1].Body);
        Assert.True(StandardWebhooksVerifier.Verify(webhook.Secret, again[1]));
        await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Single().Attempts == 2 && d.Single().Status == WebhookDeliveryStatus.Succeeded);
        Assert.Contains("WebhookRedelivered", await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT type FROM audit_events"));
    }

    [Fact]
    public async Task DeletedEndpoint_TakesItsLogWithIt_AndReceivesNothingMore()
    {
        _receiver.AnswerInTurn(new ReceiverAnswer(500), ReceiverAnswer.Ok);
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        await _owner.CreatePersonAsync("John Backus", "john@hooks.example");
        await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 1 && d[0].Status == WebhookDeliveryStatus.Succeeded);

        using var deleted = await _owner.SendAsync(HttpMethod.Delete, $"/api/v1/webhooks/{webhook.Webhook.Id}");
        await _owner.CreatePersonAsync("Niklaus Wirth", "niklaus@hooks.example");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(
            ["0 0 0"],
            await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName,
                "SELECT (SELECT count(*) FROM webhook_subscriptions) || ' ' || (SELECT count(*) FROM webhook_deliveries) || ' ' || (SELECT count(*) FROM webhook_attempts)"));
    }

    [Fact]
    public async Task ChosenEventTypes_AreTheOnlyOnesSent()
    {
        await _owner.CreateWebhookAsync(_receiver.Url("/people-only"), ["person.created"]);
        var model = await _owner.CreateModelAsync();
        await _owner.CreateAssetAsync(model.Id);
        await _owner.CreatePersonAsync("Margaret Hamilton", "margaret@hooks.example");

        var received = Assert.Single(await _receiver.WaitForAsync(1));
        Assert.Equal("person.created", received.Event().Type);
        Assert.Equal(["1"], await TestCluster.A.QueryAsync<string>(_workspace.DatabaseName, "SELECT count(*)::text FROM webhook_events"));
    }

    [Fact]
    public async Task TwoHosts_DeliverEveryEventOnce()
    {
        await using var second = await _platform.StartWebHostAsync();
        var webhook = await _owner.CreateWebhookAsync(_receiver.Url());
        var owner2 = await BrowserSession.SignInAsync(second, "hooks.localhost", "owner@hooks.example", WebhookSteps.Password);
        var csv = new StringBuilder("name,email\n");
        for (var i = 0; i < 40; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"Person {i},p{i}@hooks.example\n");
        }

        var job = await _owner.DryRunAsync(_host, "people", csv.ToString());
        await _owner.CommitAsync(job.Id);
        for (var i = 0; i < 10; i++)
        {
            await (i % 2 == 0 ? _owner : owner2).CreatePersonAsync($"Solo {i}", $"solo{i}@hooks.example");
        }

        await _receiver.WaitForAsync(51);
        await _owner.WaitForDeliveriesAsync(webhook.Webhook.Id, d => d.Count == 51 && d.All(x => x.Status == WebhookDeliveryStatus.Succeeded));
        Assert.Equal(51, _receiver.Received.Count);
        Assert.Equal(51, _receiver.Received.Select(r => r.Id).Distinct().Count());
    }
}
