using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.ApiTokens;

/// <summary>
/// Sets the longest lifetime a new token may be given, from 1 day to <see cref="ApiTokenPolicy.LongestMaxLifetimeDays"/>.
/// Tokens already issued keep their expiry (revoke them to cut them short). Audited as <see cref="AuditEventType.TokenPolicyChanged"/>.
/// </summary>
public sealed class ChangeApiTokenPolicy(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task ExecuteAsync(int? maxLifetimeDays, CancellationToken cancellationToken)
    {
        if (maxLifetimeDays is not { } days || days < 1 || days > ApiTokenPolicy.LongestMaxLifetimeDays)
        {
            throw new OperationRefusedException(
                $"The longest lifetime of a token is a whole number of days from 1 to {ApiTokenPolicy.LongestMaxLifetimeDays}.")
            {
                FieldErrors = new Dictionary<string, IReadOnlyList<string>>
                {
                    ["MaxLifetimeDays"] = [$"Enter a whole number of days from 1 to {ApiTokenPolicy.LongestMaxLifetimeDays}."],
                },
            };
        }

        var policy = await db.Set<ApiTokenPolicy>().SingleOrDefaultAsync(p => p.Id == ApiTokenPolicy.SingletonId, cancellationToken);
        if (policy is null)
        {
            policy = new ApiTokenPolicy();
            db.Add(policy);
        }

        var before = policy.MaxLifetimeDays;
        policy.MaxLifetimeDays = days;
        policy.UpdatedAt = time.GetUtcNow();
        audit.AddChange(AuditEventType.TokenPolicyChanged, "api_token_policy", ApiTokenPolicy.SingletonId,
            [new FieldChange("maxLifetimeDays", before.ToString(CultureInfo.InvariantCulture), days.ToString(CultureInfo.InvariantCulture))]);
        await db.SaveChangesAsync(cancellationToken);
    }
}
