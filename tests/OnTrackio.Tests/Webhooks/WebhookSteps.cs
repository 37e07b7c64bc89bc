using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OnTrackio.Tests.Infrastructure;
using OnTrackio.Webhooks;

namespace OnTrackio.Tests.Webhooks;

/// <summary>The webhook calls and waits the tests repeat, each asserting that it worked.</summary>
internal static class WebhookSteps
{
    public const string Password = "a long enough passphrase";

    /// <summary>
    /// Delivery settings for tests: loopback receivers allowed, a quick poll and discovery, and a retry schedule of
    /// fractions of a second so back-off is exercised without waiting minutes.
    /// </summary>
    public static void Configure(Dictionary<string, string?> configuration, bool allowLoopback = true, params string[] schedule)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration["OnTrackio:Webhooks:AllowLoopback"] = allowLoopback ? "true" : "false";
        configuration["OnTrackio:Webhooks:PollInterval"] = "00:00:00.200";
        configuration["OnTrackio:Webhooks:DiscoveryInterval"] = "00:00:01";
        configuration["OnTrackio:Webhooks:DiscoveryDelay"] = "00:00:00";
        configuration["OnTrackio:Webhooks:Jitter"] = "0.1";
        var steps = schedule.Length == 0 ? ["00:00:00.200", "00:00:00.300", "00:00:00.400"] : schedule;
        for (var i = 0; i < steps.Length; i++)
        {
            configuration[$"OnTrackio:Webhooks:RetrySchedule:{i}"] = steps[i];
        }
    }

    public static async Task<WebhookWithSecret> CreateWebhookAsync(this BrowserSession session, string url, IReadOnlyList<string>? eventTypes = null)
    {
        using var response = await session.PostJsonAsync("/api/v1/webhooks", new WebhookInput { Url = url, EventTypes = eventTypes });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/webhooks: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WebhookWithSecret>())!;
    }

    public static async Task<WebhookView> WebhookAsync(this BrowserSession session, Guid id)
    {
        using var response = await session.GetAsync($"/api/v1/webhooks/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET webhook: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WebhookView>())!;
    }

    public static async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesAsync(this BrowserSession session, Guid id)
    {
        using var response = await session.GetAsync($"/api/v1/webhooks/{id}/deliveries?limit=200");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET deliveries: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WebhookDeliveriesPage>())!.Items;
    }

    public static async Task<WebhookDeliveryDetails> DeliveryAsync(this BrowserSession session, Guid id, long deliveryId)
    {
        using var response = await session.GetAsync($"/api/v1/webhooks/{id}/deliveries/{deliveryId}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET delivery: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<WebhookDeliveryDetails>())!;
    }

    /// <summary>Polls the endpoint's log until <paramref name="done"/> holds for it (the job records attempts in the background).</summary>
    public static async Task<IReadOnlyList<WebhookDeliveryView>> WaitForDeliveriesAsync(
        this BrowserSession session, Guid id, Func<IReadOnlyList<WebhookDeliveryView>, bool> done, int seconds = 30)
    {
        IReadOnlyList<WebhookDeliveryView> deliveries = [];
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            deliveries = await session.DeliveriesAsync(id);
            if (done(deliveries))
            {
                return deliveries;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The delivery log did not reach the expected state within {seconds} s: {JsonSerializer.Serialize(deliveries)}");
    }

    public static async Task<WebhookView> WaitForWebhookAsync(this BrowserSession session, Guid id, Func<WebhookView, bool> done, int seconds = 30)
    {
        WebhookView webhook = null!;
        for (var waited = 0; waited < seconds * 10; waited++)
        {
            webhook = await session.WebhookAsync(id);
            if (done(webhook))
            {
                return webhook;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The endpoint did not reach the expected state within {seconds} s: {JsonSerializer.Serialize(webhook)}");
    }

    /// <summary>The event type and data of a received body.</summary>
    public static (string Type, JsonElement Data) Event(this ReceivedWebhook request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var json = JsonDocument.Parse(request.Body);
        return (json.RootElement.GetProperty("type").GetString()!, json.RootElement.GetProperty("data").Clone());
    }
}
