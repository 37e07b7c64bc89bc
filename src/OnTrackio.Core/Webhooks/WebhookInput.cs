using OnTrackio.Register;

namespace OnTrackio.Webhooks;

/// <summary>An endpoint as the API and the settings form send it.</summary>
public sealed class WebhookInput
{
    public string? Url { get; set; }

    public string? Description { get; set; }

    /// <summary>The event types to receive; left out (null), every event type, including ones added later.</summary>
    public IReadOnlyList<string>? EventTypes { get; set; }

    /// <summary>Left out: enabled.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Every reason the input is refused, at once; the event types as stored (null for all).</summary>
    internal (Uri Url, string? Description, string? EventTypes) Check(bool allowLoopback)
    {
        var check = new InputCheck();
        Uri url = null!;
        if (!WebhookUrl.TryParse(Url, allowLoopback, out var parsed, out var error))
        {
            check.Fail(error, "URL");
        }
        else
        {
            url = parsed;
        }

        var description = check.Text(Description, "Description", WebhookSubscription.MaxDescriptionLength);
        string? eventTypes = null;
        if (EventTypes is not null)
        {
            var chosen = EventTypes.Select(t => t?.Trim() ?? string.Empty).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var unknown = chosen.Where(t => !WebhookEventTypes.IsKnown(t)).ToList();
            if (chosen.Count == 0)
            {
                check.Fail("Choose at least one event type, or leave the list out to receive every event.", "Events");
            }
            else if (unknown.Count > 0)
            {
                check.Fail($"Unknown event type{(unknown.Count == 1 ? string.Empty : "s")}: {string.Join(", ", unknown)}. Known: {string.Join(", ", WebhookEventTypes.All)}.", "Events");
            }
            else
            {
                eventTypes = string.Join(' ', WebhookEventTypes.All.Where(chosen.Contains));
            }
        }

        check.ThrowIfInvalid();
        return (url, description, eventTypes);
    }
}

public sealed record WebhookView(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string>? EventTypes,
    bool Enabled,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? PreviousSecretExpiresAt)
{
    public bool AllEvents => EventTypes is null;

    internal static WebhookView Of(WebhookSubscription subscription, DateTimeOffset now) => new(
        subscription.Id, subscription.Url, subscription.Description, subscription.EventTypeList, subscription.Enabled, subscription.DisabledReason,
        subscription.CreatedAt, subscription.UpdatedAt, subscription.LastSuccessAt,
        subscription.PreviousSecretExpiresAt > now ? subscription.PreviousSecretExpiresAt : null);
}

/// <summary>A new endpoint, or a rotated secret: the secret is in this answer once and never again.</summary>
public sealed record WebhookWithSecret(WebhookView Webhook, string Secret);

public sealed record WebhookDeliveryView(
    long Id,
    Guid EventId,
    string MessageId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt);

public sealed record WebhookDeliveriesPage(IReadOnlyList<WebhookDeliveryView> Items, long? NextBefore);

public sealed record WebhookAttemptView(long Id, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? ResponseExcerpt, string? Error);

public sealed record WebhookDeliveryDetails(WebhookDeliveryView Delivery, string Payload, IReadOnlyList<WebhookAttemptView> Attempts);
