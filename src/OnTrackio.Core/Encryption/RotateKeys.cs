using Microsoft.EntityFrameworkCore;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Upgrades;

namespace OnTrackio.Encryption;

public sealed record KeyRotationReport(int Workspaces, int ValuesReencrypted, int KeysRewrapped, IReadOnlyList<MigrationFailure> Failures)
{
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>
/// <c>ontrackio keys rotate</c>: per workspace, a new data key version wrapped by the active master key, every older
/// version rewrapped by it (so retired master keys can leave configuration), and every encrypted column re-encrypted
/// under the new version in one workspace transaction. Older versions stay, so a failure midway loses nothing.
/// </summary>
public sealed class RotateKeys(IDatabaseEngine engine, WorkspaceKeys keys)
{
    public async Task<KeyRotationReport> ExecuteAsync(string? slug, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        List<Workspace> workspaces;
        Dictionary<Guid, DatabaseServer> servers;
        await using (var catalog = engine.CreateCatalogContext())
        {
            workspaces = await catalog.Workspaces.AsNoTracking()
                .Where(w => w.Status == WorkspaceStatus.Active && (slug == null || w.Slug == slug))
                .OrderBy(w => w.Slug)
                .ToListAsync(cancellationToken);
            servers = await catalog.DatabaseServers.AsNoTracking().ToDictionaryAsync(s => s.Id, cancellationToken);
        }

        if (slug is not null && workspaces.Count == 0)
        {
            throw new OperationRefusedException($"No workspace has the slug '{slug}'.");
        }

        int values = 0, rewrapped = 0;
        var failures = new List<MigrationFailure>();
        foreach (var workspace in workspaces)
        {
            try
            {
                var (version, rewraps) = await AddVersionAsync(workspace.Id, cancellationToken);
                var count = await ReencryptAsync(WorkspaceLocation.Of(workspace, servers[workspace.ServerId]), version, cancellationToken);
                values += count;
                rewrapped += rewraps;
                progress?.Report($"{workspace.Slug}: key version {version}, {count} value(s) re-encrypted, {rewraps} older version(s) rewrapped");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add(new MigrationFailure(workspace.Slug, ex.GetBaseException().Message));
                progress?.Report($"{workspace.Slug}: FAILED: {ex.GetBaseException().Message}");
            }
        }

        return new KeyRotationReport(workspaces.Count, values, rewrapped, failures);
    }

    private async Task<(int Version, int Rewrapped)> AddVersionAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var catalog = engine.CreateCatalogContext();
        var stored = await catalog.WorkspaceKeys.Where(k => k.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
        var version = stored.Count == 0 ? 1 : stored.Max(k => k.Version) + 1;
        catalog.WorkspaceKeys.Add(await keys.NewVersionAsync(workspaceId, version, cancellationToken));
        var rewrapped = 0;
        foreach (var older in stored)
        {
            rewrapped += await keys.RewrapAsync(older, cancellationToken) ? 1 : 0;
        }

        await catalog.SaveChangesAsync(cancellationToken);
        keys.Forget(workspaceId, stored.Select(k => k.Version));
        return (version, rewrapped);
    }

    private async Task<int> ReencryptAsync(WorkspaceLocation location, int version, CancellationToken cancellationToken)
    {
        var key = await keys.GetAsync(location.WorkspaceId, version, cancellationToken);
        await using var db = engine.CreateWorkspaceContext(location);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = 0;
        foreach (var column in EncryptedColumns.In(db.Model))
        {
            // Identifiers come from the EF model, never from input; values go as parameters.
            var select = $"""SELECT CAST("{column.KeyColumn}" AS TEXT) AS "Key", "{column.Column}" AS "Value" FROM "{column.Table}" WHERE "{column.Column}" IS NOT NULL""";
            var update = $$"""UPDATE "{{column.Table}}" SET "{{column.Column}}" = {0} WHERE "{{column.KeyColumn}}" = {1}""";
            var cells = await db.Database.SqlQueryRaw<EncryptedCell>(select).ToListAsync(cancellationToken);
            foreach (var cell in cells.Where(c => FieldProtector.VersionOf(c.Value) != version))
            {
                object rowKey = column.KeyIsGuid ? Guid.Parse(cell.Key) : cell.Key;
                var field = new FieldAddress(column.Table, column.Column, rowKey is Guid guid ? EncryptedColumns.RowOf(guid) : cell.Key);
                var oldKey = await keys.GetAsync(location.WorkspaceId, FieldProtector.VersionOf(cell.Value), cancellationToken);
                var plaintext = FieldProtector.Open(location.WorkspaceId, field, FieldProtector.VersionOf(cell.Value), oldKey, cell.Value);
                var envelope = FieldProtector.Seal(location.WorkspaceId, field, version, key, plaintext);
                await db.Database.ExecuteSqlRawAsync(update, [envelope, rowKey], cancellationToken);
                count++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private sealed record EncryptedCell(string Key, string Value);
}
