using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Tenancy;

namespace OnTrackio.Domains;

public sealed record PendingDomain(string Hostname, string Slug, string VerificationToken)
{
    public string DnsRecord => $"{DomainChallenges.DnsLabel}.{Hostname}";

    public string HttpPath => $"{DomainChallenges.HttpPathPrefix}{VerificationToken}";
}

/// <summary>
/// Adds a custom hostname to a workspace, unverified: it routes nowhere until <see cref="VerifyDomain"/> proves the
/// customer controls it. The hostname is the catalog's primary key, so it can never belong to two workspaces.
/// </summary>
public sealed class AddDomain(CatalogDbContext catalog, IOptions<TenancyOptions> tenancy, TimeProvider time)
{
    public async Task<PendingDomain> ExecuteAsync(string slug, string? hostname, CancellationToken cancellationToken)
    {
        var normalized = CustomHostname(hostname, tenancy.Value.PlatformDomain);
        var workspace = await catalog.Workspaces.SingleOrDefaultAsync(w => w.Slug == slug && w.Status == WorkspaceStatus.Active, cancellationToken)
            ?? throw new OperationRefusedException($"No workspace has the slug '{slug}'.");
        if (await catalog.Domains.AnyAsync(d => d.Hostname == normalized, cancellationToken))
        {
            throw new OperationRefusedException($"The hostname '{normalized}' is already registered to a workspace; remove it there first.");
        }

        var domain = new Domain
        {
            Hostname = normalized,
            WorkspaceId = workspace.Id,
            VerificationToken = DomainTokens.Create(),
            IsPrimary = false,
            CreatedAt = time.GetUtcNow(),
        };
        catalog.Domains.Add(domain);
        try
        {
            await catalog.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new OperationRefusedException($"The hostname '{normalized}' is already registered to a workspace; remove it there first.");
        }

        return new PendingDomain(normalized, slug, domain.VerificationToken);
    }

    private static string CustomHostname(string? hostname, string platformDomain)
    {
        if (!HostName.TryNormalize(hostname, out var normalized) || hostname!.Contains(':', StringComparison.Ordinal))
        {
            throw new OperationRefusedException($"'{hostname}' is not a valid hostname (no scheme, port or path).");
        }

        if (System.Net.IPAddress.TryParse(normalized.Trim('[', ']'), out _) || !normalized.Contains('.', StringComparison.Ordinal))
        {
            throw new OperationRefusedException($"'{hostname}' is not a fully qualified domain name.");
        }

        if (HostName.IsLoopback(normalized))
        {
            throw new OperationRefusedException($"'{hostname}' is a loopback name and cannot be a custom domain.");
        }

        if (normalized == platformDomain || normalized.EndsWith("." + platformDomain, StringComparison.Ordinal))
        {
            throw new OperationRefusedException($"Hostnames under '{platformDomain}' belong to the platform; each workspace already has its own.");
        }

        return normalized;
    }
}
