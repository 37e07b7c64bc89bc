using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;

namespace OnTrackio.Provisioning;

public sealed record WorkspaceSummary(
    Guid Id, string Slug, string DisplayName, string Region, string Server, string DatabaseName, WorkspaceStatus Status,
    string SchemaVersion, DateTimeOffset CreatedAt, IReadOnlyList<DomainSummary> Domains);

public sealed record DomainSummary(string Hostname, bool IsPrimary, DateTimeOffset? VerifiedAt, string VerificationToken);

/// <summary>The catalog's view of workspaces, for <c>workspace list</c> and <c>workspace show</c>.</summary>
public sealed class WorkspaceSummaries(CatalogDbContext catalog)
{
    public async Task<IReadOnlyList<WorkspaceSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await Query(catalog.Workspaces).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(w => w.Slug, StringComparer.Ordinal)];
    }

    public async Task<WorkspaceSummary> ShowAsync(string slug, CancellationToken cancellationToken) =>
        await Query(catalog.Workspaces.Where(w => w.Slug == slug)).SingleOrDefaultAsync(cancellationToken)
        ?? throw new OperationRefusedException($"No workspace has the slug '{slug}'.");

    private IQueryable<WorkspaceSummary> Query(IQueryable<Workspace> workspaces) =>
        from workspace in workspaces.AsNoTracking()
        join server in catalog.DatabaseServers on workspace.ServerId equals server.Id
        select new WorkspaceSummary(
            workspace.Id,
            workspace.Slug,
            workspace.DisplayName,
            workspace.RegionId,
            server.Name,
            workspace.DatabaseName,
            workspace.Status,
            workspace.SchemaVersion,
            workspace.CreatedAt,
            workspace.Domains.OrderByDescending(d => d.IsPrimary).ThenBy(d => d.Hostname)
                .Select(d => new DomainSummary(d.Hostname, d.IsPrimary, d.VerifiedAt, d.VerificationToken)).ToList());
}
