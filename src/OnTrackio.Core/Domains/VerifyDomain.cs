using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.Tenancy;

namespace OnTrackio.Domains;

/// <summary>Checks a pending domain's challenge and, when met, marks it verified so that it starts routing.</summary>
public sealed class VerifyDomain(CatalogDbContext catalog, DomainChallenges challenges, WorkspaceDirectory directory, TimeProvider time)
{
    public async Task<Domain> ExecuteAsync(string? hostname, DomainVerificationMethod method, CancellationToken cancellationToken)
    {
        if (!HostName.TryNormalize(hostname, out var normalized))
        {
            throw new OperationRefusedException($"'{hostname}' is not a valid hostname.");
        }

        var domain = await catalog.Domains.SingleOrDefaultAsync(d => d.Hostname == normalized, cancellationToken)
            ?? throw new OperationRefusedException($"The hostname '{normalized}' is not registered; add it with `ontrackio domain add`.");
        if (domain.VerifiedAt is not null)
        {
            return domain;
        }

        var failure = await challenges.CheckAsync(normalized, domain.VerificationToken, method, cancellationToken);
        if (failure is not null)
        {
            throw new OperationRefusedException($"'{normalized}' is not verified yet. {failure}");
        }

        await using var transaction = await catalog.Database.BeginTransactionAsync(cancellationToken);
        domain.VerifiedAt = time.GetUtcNow();
        await catalog.SaveChangesAsync(cancellationToken);
        await RoutingChanges.BumpAsync(catalog, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        directory.Invalidate();
        return domain;
    }
}
