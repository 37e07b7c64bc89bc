using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Encryption;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>A claimed delivery with what sending it needs.</summary>
internal sealed record ClaimedDelivery(WebhookDelivery Delivery, WebhookEvent Event, WebhookSubscription Subscription);

/// <summary>
/// One round of delivery in the scope's workspace: claims due deliveries, sends them at once, and records each attempt,
/// its outcome and the next try in one save. Safe with several hosts: a claim leases rows with a conditional update
/// (PostgreSQL skips rows another host is claiming, <c>FOR UPDATE SKIP LOCKED</c>; SQLite serialises writers), and the
/// outcome is written only over the lease this round holds, so a round that outlived its lease records nothing twice.
/// </summary>
internal sealed partial class DeliverWebhooks(
    WorkspaceDbContext db,
    WorkspaceContext workspace,
    FieldProtector protector,
    WebhookSender sender,
    DisableWebhookEndpoint disable,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<DeliverWebhooks> logger)
{
    public const int BatchSize = 100;

    private const string Due = "status = 'Pending' AND due_at <= @now AND lease_until < @now";

    private const string PostgresClaim = "UPDATE webhook_deliveries SET lease_until = @lease WHERE id IN (SELECT id FROM webhook_deliveries WHERE "
        + Due + " ORDER BY due_at LIMIT @limit FOR UPDATE SKIP LOCKED) RETURNING id";

    // SQLite has one writer at a time, so the update claims atomically; a read first keeps an idle look from taking the write lock.
    private const string SqliteProbe = "SELECT id FROM webhook_deliveries WHERE " + Due + " ORDER BY due_at LIMIT @limit";
    private const string SqliteClaim = "UPDATE webhook_deliveries SET lease_until = @lease WHERE id IN (SELECT id FROM webhook_deliveries WHERE "
        + Due + " ORDER BY due_at LIMIT @limit) RETURNING id";

    private const string EndpointDisabled = "The endpoint is disabled.";

    /// <summary>Leases up to <paramref name="limit"/> due deliveries for this round and loads them.</summary>
    public async Task<List<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ids = await ClaimIdsAsync(now, now + (long)options.Value.Lease.TotalMilliseconds, limit, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var deliveries = await db.Set<WebhookDelivery>().Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        var eventIds = deliveries.Select(d => d.EventId).Distinct().ToList();
        var subscriptionIds = deliveries.Select(d => d.SubscriptionId).Distinct().ToList();
        var events = await db.Set<WebhookEvent>().AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        var subscriptions = await db.Set<WebhookSubscription>().AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, cancellationToken);
        return [.. deliveries.Select(d => new ClaimedDelivery(d, events[d.EventId], subscriptions[d.SubscriptionId]))];
    }

    /// <summary>Sends every claimed delivery at once, calling <paramref name="sent"/> as each attempt ends, then records them all.</summary>
    public async Task DeliverAsync(IReadOnlyList<ClaimedDelivery> claimed, Action sent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(sent);
        var keys = new Dictionary<Guid, List<byte[]>>();
        foreach (var subscription in claimed.Select(c => c.Subscription).Where(s => s.Enabled).DistinctBy(s => s.Id))
        {
            try
            {
                keys[subscription.Id] = await WebhookSecrets.SigningKeysAsync(protector, workspace.Current.Id, subscription, time.GetUtcNow(), cancellationToken);
            }
            catch (FieldDecryptionException ex)
            {
                LogSecretUnreadable(ex, workspace.Current.Slug, subscription.Id);
            }
        }

        var attempts = await Task.WhenAll(claimed.Select(async c =>
        {
            try
            {
                var attemptedAt = time.GetUtcNow();
                if (!c.Subscription.Enabled)
                {
                    return (Claimed: c, AttemptedAt: attemptedAt, Result: (WebhookAttemptResult?)null);
                }

                var result = keys.TryGetValue(c.Subscription.Id, out var signing)
                    ? await sender.SendAsync(
                        new Uri(c.Subscription.Url), WebhookEvent.MessageId(c.Event.Id), attemptedAt.ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(c.Event.Payload), signing, cancellationToken)
                    : new WebhookAttemptResult(null, TimeSpan.Zero, null, "The endpoint's signing secret does not decrypt, so nothing was sent; rotate the secret.", null);
                return (Claimed: c, AttemptedAt: attemptedAt, Result: result);
            }
            finally
            {
                sent();
            }
        }));

        await RecordAsync(attempts, cancellationToken);
    }

    private async Task RecordAsync(
        IReadOnlyList<(ClaimedDelivery Claimed, DateTimeOffset AttemptedAt, WebhookAttemptResult? Result)> attempts, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var settings = options.Value;
        var succeeded = new Dictionary<Guid, DateTimeOffset>();
        var gone = new Dictionary<Guid, string>();
        var gaveUp = new List<ClaimedDelivery>();
        foreach (var (claimed, attemptedAt, result) in attempts)
        {
            var delivery = claimed.Delivery;
            delivery.LeaseUntil = 0;
            if (result is null)
            {
                Finish(delivery, WebhookDeliveryStatus.Failed, now);
                delivery.LastError = EndpointDisabled;
                continue;
            }

            delivery.Attempts++;
            delivery.RetryStep++;
            delivery.LastAttemptAt = attemptedAt;
            delivery.LastStatusCode = result.StatusCode;
            delivery.LastError = result.Succeeded ? null : Truncate(result.Error ?? $"Answered {result.StatusCode}: only a 2xx answer counts as delivered.");
            db.Add(new WebhookAttempt
            {
                DeliveryId = delivery.Id,
                AttemptedAt = attemptedAt,
                StatusCode = result.StatusCode,
                LatencyMs = (int)Math.Min(int.MaxValue, result.Latency.TotalMilliseconds),
                ResponseExcerpt = result.ResponseExcerpt,
                Error = result.Error is null ? null : Truncate(result.Error),
            });

            if (result.Succeeded)
            {
                Finish(delivery, WebhookDeliveryStatus.Succeeded, now);
                succeeded[claimed.Subscription.Id] = now;
            }
            else if (result.StatusCode == StatusGone)
            {
                Finish(delivery, WebhookDeliveryStatus.Failed, now);
                gone[claimed.Subscription.Id] = "The endpoint answered 410 Gone, which asks for no more deliveries.";
            }
            else if (WebhookRetries.NextWait(delivery.RetryStep, result, settings, Random.Shared) is { } wait)
            {
                delivery.DueAt = nowMs + (long)wait.TotalMilliseconds;
            }
            else
            {
                Finish(delivery, WebhookDeliveryStatus.Failed, now);
                gaveUp.Add(claimed);
            }
        }

        await SaveOverLeasesAsync(cancellationToken);
        foreach (var (subscriptionId, at) in succeeded)
        {
            await db.Set<WebhookSubscription>().Where(s => s.Id == subscriptionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSuccessAt, at), cancellationToken);
        }

        foreach (var (subscriptionId, reason) in gone)
        {
            await disable.ExecuteAsync(subscriptionId, reason, cancellationToken);
        }

        // An endpoint that answered well since a delivery began is working: one event it keeps refusing is that event's
        // problem, and turning the endpoint off would stop every other event too.
        foreach (var claimed in gaveUp.Where(c => !gone.ContainsKey(c.Subscription.Id)).DistinctBy(c => c.Subscription.Id))
        {
            var lastSuccess = await db.Set<WebhookSubscription>().Where(s => s.Id == claimed.Subscription.Id).Select(s => s.LastSuccessAt).SingleOrDefaultAsync(cancellationToken);
            if (lastSuccess is null || lastSuccess < claimed.Delivery.CreatedAt)
            {
                await disable.ExecuteAsync(
                    claimed.Subscription.Id,
                    $"Delivery of {WebhookEvent.MessageId(claimed.Event.Id)} failed {claimed.Delivery.RetryStep} times in a row, over {Span(claimed.Delivery.CreatedAt, now)}, and the endpoint has not answered with a 2xx since.",
                    cancellationToken);
            }
        }
    }

    /// <summary>Saves the round's outcomes; a delivery whose lease another host has since taken over keeps that host's outcome.</summary>
    private async Task SaveOverLeasesAsync(CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException ex) when (tries < 3)
            {
                foreach (var entry in ex.Entries)
                {
                    entry.State = EntityState.Detached;
                }

                LogLeaseLost(workspace.Current.Slug, ex.Entries.Count);
            }
        }
    }

    private async Task<List<long>> ClaimIdsAsync(long now, long lease, int limit, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (!postgres && (await ReadIdsAsync(connection, SqliteProbe, now, lease, limit, cancellationToken)).Count == 0)
            {
                return [];
            }

            return await ReadIdsAsync(connection, postgres ? PostgresClaim : SqliteClaim, now, lease, limit, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<long>> ReadIdsAsync(DbConnection connection, string sql, long now, long lease, int limit, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "now", now);
        Add(command, "lease", lease);
        Add(command, "limit", limit);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A finished delivery's <see cref="WebhookDelivery.DueAt"/> holds when it finished: the retention purge reads it.</summary>
    private static void Finish(WebhookDelivery delivery, WebhookDeliveryStatus status, DateTimeOffset now)
    {
        delivery.Status = status;
        delivery.CompletedAt = now;
        delivery.DueAt = now.ToUnixTimeMilliseconds();
    }

    private const int StatusGone = 410;

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];

    private static string Span(DateTimeOffset from, DateTimeOffset to) =>
        (to - from) is var span && span.TotalHours >= 1 ? $"{span.TotalHours:0} hours" : $"{Math.Max(1, span.TotalMinutes):0} minutes";

    [LoggerMessage(Level = LogLevel.Error, Message = "A webhook signing secret of workspace {Slug} (endpoint {SubscriptionId}) does not decrypt")]
    private partial void LogSecretUnreadable(Exception ex, string slug, Guid subscriptionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery in workspace {Slug}: {Count} outcomes not recorded, their lease was taken over by another host")]
    private partial void LogLeaseLost(string slug, int count);
}
