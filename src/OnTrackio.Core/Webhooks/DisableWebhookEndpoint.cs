using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Email;
using OnTrackio.Identity;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Webhooks;

/// <summary>
/// Turns an endpoint off on the platform's own judgement (it answered 410 Gone, or a delivery's retries ran out
/// without the endpoint answering well since), records why, audits it, and emails the workspace's Owners and Admins,
/// who alone can turn it back on. Only the save that flips it sends the email: two hosts reaching the same
/// conclusion send one.
/// </summary>
public sealed partial class DisableWebhookEndpoint(
    WorkspaceDbContext db, WorkspaceContext workspace, AuditTrail audit, IEmailSender email, IOptions<TenancyOptions> tenancy, TimeProvider time,
    ILogger<DisableWebhookEndpoint> logger)
{
    private static readonly AuditActor Platform = new(null, "webhook delivery");

    public async Task ExecuteAsync(Guid subscriptionId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        string? url;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var turnedOff = await db.Set<WebhookSubscription>().Where(s => s.Id == subscriptionId && s.Enabled).ExecuteUpdateAsync(
                s => s.SetProperty(x => x.Enabled, false).SetProperty(x => x.DisabledReason, reason).SetProperty(x => x.UpdatedAt, now),
                cancellationToken);
            if (turnedOff == 0)
            {
                return;
            }

            url = await db.Set<WebhookSubscription>().Where(s => s.Id == subscriptionId).Select(s => s.Url).SingleAsync(cancellationToken);
            audit.AddChange(
                AuditEventType.WebhookDisabled, CreateWebhook.EntityType, subscriptionId.ToString(), [new("enabled", "yes", "no")],
                WebhookSecrets.Subject($"{url}: {reason}"), Platform);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        LogDisabled(workspace.Current.Slug, subscriptionId, reason);
        var admins = await (
                from user in db.Users
                join userRole in db.UserRoles on user.Id equals userRole.UserId
                join role in db.Roles on userRole.RoleId equals role.Id
                where (role.Name == WorkspaceRoles.Owner || role.Name == WorkspaceRoles.Admin) && user.Email != null
                select user.Email)
            .Distinct()
            .ToListAsync(cancellationToken);
        var link = tenancy.Value.LinkTo(workspace.Current.Hostname, $"/settings/webhooks/{subscriptionId}");
        var body = string.Join(
            "\n",
            $"OnTrackio turned off a webhook endpoint of the workspace {workspace.Current.DisplayName}:",
            string.Empty,
            url,
            string.Empty,
            $"Why: {reason}",
            string.Empty,
            "No more events go to it until an Owner or Admin turns it on again. Deliveries that gave up can be sent again from its delivery log:",
            link);
        foreach (var admin in admins)
        {
            try
            {
                await email.SendAsync(new EmailMessage(admin!, $"Webhook endpoint turned off in {workspace.Current.DisplayName}", body), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The endpoint stays off either way; the settings page says so to anyone who looks.
                LogEmailFailed(ex, workspace.Current.Slug, subscriptionId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {SubscriptionId} of workspace {Slug} turned off: {Reason}")]
    private partial void LogDisabled(string slug, Guid subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Emailing the admins of workspace {Slug} that webhook endpoint {SubscriptionId} was turned off failed")]
    private partial void LogEmailFailed(Exception ex, string slug, Guid subscriptionId);
}
