using Microsoft.EntityFrameworkCore;
using OnTrackio.Encryption;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Where a subscription's secrets live in their envelopes (table, column, row), and the keys they sign with now. The
/// plaintext exists only in memory; the database holds what <see cref="FieldProtector"/> sealed under the workspace key.
/// </summary>
internal static class WebhookSecrets
{
    public static FieldAddress Current(Guid subscriptionId) =>
        new(WebhookSubscription.Table, WebhookSubscription.SecretColumn, EncryptedColumns.RowOf(subscriptionId));

    public static FieldAddress Previous(Guid subscriptionId) =>
        new(WebhookSubscription.Table, WebhookSubscription.PreviousSecretColumn, EncryptedColumns.RowOf(subscriptionId));

    /// <summary>The signing keys of a subscription at <paramref name="now"/>: the current one, then the previous during its grace period.</summary>
    public static async Task<List<byte[]>> SigningKeysAsync(
        FieldProtector protector, Guid workspaceId, WebhookSubscription subscription, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = new List<byte[]> { WebhookSecret.KeyOf(await protector.UnprotectAsync(workspaceId, Current(subscription.Id), subscription.SecretEncrypted, cancellationToken)) };
        if (subscription.PreviousSecretEncrypted is { } previous && subscription.PreviousSecretExpiresAt > now)
        {
            keys.Add(WebhookSecret.KeyOf(await protector.UnprotectAsync(workspaceId, Previous(subscription.Id), previous, cancellationToken)));
        }

        return keys;
    }

    public static async Task<WebhookSubscription> FindAsync(WorkspaceDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Set<WebhookSubscription>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("This workspace has no webhook endpoint with that id.");

    /// <summary>An audit subject naming the endpoint, within the column's 500 characters (a URL may be longer).</summary>
    public static string Subject(string text) => text.Length <= 500 ? text : text[..499] + "…";

    /// <summary>What the audit log records of an endpoint: never its secret.</summary>
    public static Dictionary<string, string?> Snapshot(WebhookSubscription subscription) => new()
    {
        ["url"] = subscription.Url,
        ["description"] = subscription.Description,
        ["events"] = subscription.EventTypes ?? "all",
        ["enabled"] = subscription.Enabled ? "yes" : "no",
    };
}
