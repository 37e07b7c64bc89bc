using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;

namespace OnTrackio.Webhooks;

/// <summary>
/// Turns the audit entries of one save into outbox rows: an event for each entry that is a webhook event wanted by
/// at least one enabled subscription, and a delivery of it to each such subscription. A workspace without
/// subscriptions writes nothing more than one small read per save that changes the register.
/// </summary>
/// <remarks>
/// Used by <see cref="WebhookOutboxInterceptor"/> for every save through EF, and by the import, which writes its rows
/// by COPY, with the same rules. Subscriptions are read in the save's transaction: one created after it began receives
/// the events of later changes, not of this one.
/// </remarks>
internal static class WebhookOutbox
{
    public static async Task<(List<WebhookEvent> Events, List<WebhookDelivery> Deliveries)> PlanAsync(
        DbContext db, IReadOnlyCollection<AuditEvent> entries, CancellationToken cancellationToken)
    {
        var typed = entries.Select(e => (Entry: e, Type: WebhookEventTypes.Of(e.Type, e.EntityType))).Where(t => t.Type is not null).ToList();
        if (typed.Count == 0)
        {
            return ([], []);
        }

        var subscriptions = await db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.Enabled)
            .Select(s => new { s.Id, s.EventTypes })
            .ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return ([], []);
        }

        var events = new List<WebhookEvent>();
        var deliveries = new List<WebhookDelivery>();
        foreach (var (entry, type) in typed)
        {
            var wanting = subscriptions.Where(s => WebhookSubscription.Wants(s.EventTypes, type!)).ToList();
            if (wanting.Count == 0)
            {
                continue;
            }

            var webhookEvent = new WebhookEvent { Type = type!, OccurredAt = entry.OccurredAt, Payload = Payload(type!, entry) };
            events.Add(webhookEvent);
            foreach (var subscription in wanting)
            {
                deliveries.Add(new WebhookDelivery
                {
                    EventId = webhookEvent.Id,
                    SubscriptionId = subscription.Id,
                    Status = WebhookDeliveryStatus.Pending,
                    DueAt = entry.OccurredAt.ToUnixTimeMilliseconds(),
                    CreatedAt = entry.OccurredAt,
                });
            }
        }

        return (events, deliveries);
    }

    /// <summary>
    /// The body: <c>{"type","timestamp","data":{…}}</c> as the Standard Webhooks specification suggests, with the
    /// object, its id and label, the field-level changes (secrets already masked by the audit entry) and the actor.
    /// </summary>
    internal static string Payload(string type, AuditEvent entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("timestamp", entry.OccurredAt.UtcDateTime);
            json.WriteStartObject("data");
            json.WriteString("object", type[..type.IndexOf('.', StringComparison.Ordinal)]);
            json.WriteString("id", entry.EntityId);
            json.WriteString("label", entry.Subject);
            json.WritePropertyName("changes");
            if (entry.Changes is null)
            {
                json.WriteStartArray();
                json.WriteEndArray();
            }
            else
            {
                // The audit trail's own serialization of FieldChange: an array of {field, before, after}.
                json.WriteRawValue(entry.Changes);
            }

            json.WriteStartObject("actor");
            json.WriteString("type", entry.ActorType);
            if (entry.ActorId is { } actorId)
            {
                json.WriteString("id", actorId);
            }
            else
            {
                json.WriteNull("id");
            }

            json.WriteString("label", entry.ActorLabel);
            json.WriteEndObject();
            if (entry.Sequence is { } sequence)
            {
                json.WriteNumber("auditSequence", sequence);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
