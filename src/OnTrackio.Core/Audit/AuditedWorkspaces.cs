using Microsoft.EntityFrameworkCore;
using OnTrackio.Databases;

namespace OnTrackio.Audit;

/// <summary>The active workspaces an operator's audit command names (one slug, or all), located through the catalog only.</summary>
internal static class AuditedWorkspaces
{
    public static async Task<IReadOnlyList<(string Slug, WorkspaceLocation Location)>> FindAsync(
        IDatabaseEngine engine, string? slug, CancellationToken cancellationToken)
    {
        await using var catalog = engine.CreateCatalogContext();
        var workspaces = await catalog.Workspaces.AsNoTracking()
            .Where(w => w.Status == Catalog.WorkspaceStatus.Active && (slug == null || w.Slug == slug))
            .OrderBy(w => w.Slug)
            .ToListAsync(cancellationToken);
        if (slug is not null && workspaces.Count == 0)
        {
            throw new OperationRefusedException($"No active workspace has the slug '{slug}'.");
        }

        var servers = await catalog.DatabaseServers.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        return workspaces.Select(w => (w.Slug, WorkspaceLocation.Of(w, servers[w.ServerId]))).ToList();
    }
}
