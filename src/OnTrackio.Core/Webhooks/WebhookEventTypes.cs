using OnTrackio.Audit;

namespace OnTrackio.Webhooks;

/// <summary>
/// Which audit entries are webhook events, and under what name: <c>&lt;object&gt;.&lt;action&gt;</c>, the object
/// being the entry's entity type (<c>asset</c>, <c>person</c>, <c>model</c>, <c>status_label</c>…) and the action
/// the entry's type. Every change to the register already writes its audit entry in the change's transaction, so an
/// event derived from it is written, and rolled back, with the change itself.
/// </summary>
public static class WebhookEventTypes
{
    private static readonly Dictionary<AuditEventType, string> Actions = new()
    {
        [AuditEventType.AssetCreated] = "created",
        [AuditEventType.AssetUpdated] = "updated",
        [AuditEventType.AssetDeleted] = "deleted",
        [AuditEventType.AssetRestored] = "restored",
        [AuditEventType.AssetCheckedOut] = "checked_out",
        [AuditEventType.AssetCheckedIn] = "checked_in",
        [AuditEventType.AssetHolderLeaving] = "holder_leaving",
        [AuditEventType.PersonCreated] = "created",
        [AuditEventType.PersonUpdated] = "updated",
        [AuditEventType.ReferenceCreated] = "created",
        [AuditEventType.ReferenceUpdated] = "updated",
        [AuditEventType.ReferenceDeleted] = "deleted",
        [AuditEventType.CustomFieldCreated] = "created",
        [AuditEventType.CustomFieldUpdated] = "updated",
        [AuditEventType.CustomFieldDeleted] = "deleted",
        [AuditEventType.CustomFieldSetCreated] = "created",
        [AuditEventType.CustomFieldSetUpdated] = "updated",
        [AuditEventType.CustomFieldSetDeleted] = "deleted",
        [AuditEventType.ImportCommitted] = "committed",
    };

    private static readonly string[] ReferenceObjects = ["category", "manufacturer", "model", "supplier", "location", "department", "status_label"];

    /// <summary>Every event type a subscription can choose, in the order the settings page lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "asset.created", "asset.updated", "asset.deleted", "asset.restored", "asset.checked_out", "asset.checked_in", "asset.holder_leaving",
        "person.created", "person.updated",
        .. ReferenceObjects.SelectMany(o => new[] { $"{o}.created", $"{o}.updated", $"{o}.deleted" }),
        "custom_field.created", "custom_field.updated", "custom_field.deleted",
        "custom_field_set.created", "custom_field_set.updated", "custom_field_set.deleted",
        "import.committed",
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string eventType) => Known.Contains(eventType);

    /// <summary>The event type of an audit entry, or null when the entry is not one (a sign-in, a setting).</summary>
    public static string? Of(AuditEventType type, string? entityType) =>
        entityType is not null && Actions.TryGetValue(type, out var action) ? ObjectName(entityType) + "." + action : null;

    /// <summary>The object as events name it: the entity type in snake case ("status label" → "status_label").</summary>
    public static string ObjectName(string entityType)
    {
        ArgumentNullException.ThrowIfNull(entityType);
        return entityType.Trim().Replace(' ', '_').ToLowerInvariant();
    }
}
