using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Audit;

/// <summary>
/// Sets how many days the workspace keeps its audit log: never under <see cref="AuditRetention.MinimumDays"/> (the
/// promise reviewers are shown), at most <see cref="MaximumDays"/>. The change is itself audited.
/// </summary>
public sealed class ChangeAuditRetention(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public const int MaximumDays = 36_500;

    public async Task ExecuteAsync(int days, WorkspaceUser actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (days < AuditRetention.MinimumDays)
        {
            throw new OperationRefusedException(
                $"The audit log is kept at least {AuditRetention.MinimumDays} days; {days} is too short.");
        }

        if (days > MaximumDays)
        {
            throw new OperationRefusedException($"Choose at most {MaximumDays} days.");
        }

        var retention = await db.Set<AuditRetention>().SingleOrDefaultAsync(r => r.Id == AuditRetention.SingletonId, cancellationToken);
        if (retention is null)
        {
            retention = new AuditRetention();
            db.Add(retention);
        }

        var before = retention.Days;
        retention.Days = days;
        retention.UpdatedAt = time.GetUtcNow();
        audit.AddChange(AuditEventType.AuditRetentionChanged, "audit_retention", AuditRetention.SingletonId,
            [new FieldChange("days", before.ToString(System.Globalization.CultureInfo.InvariantCulture), days.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        await db.SaveChangesAsync(cancellationToken);
    }
}
