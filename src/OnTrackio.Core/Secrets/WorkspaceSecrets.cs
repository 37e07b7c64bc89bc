using Microsoft.EntityFrameworkCore;
using OnTrackio.Encryption;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Secrets;

/// <summary>Reads and writes a workspace's sensitive settings; plaintext exists only in memory, never in the database.</summary>
public sealed class WorkspaceSecrets(WorkspaceDbContext db, Guid workspaceId, FieldProtector protector, TimeProvider time)
{
    public const string Table = "workspace_secrets";
    public const string Column = "value_encrypted";

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var envelope = await protector.ProtectAsync(workspaceId, Address(name), value, cancellationToken);
        var secret = await db.Set<WorkspaceSecret>().FindAsync([name], cancellationToken);
        if (secret is null)
        {
            db.Add(new WorkspaceSecret { Name = name, ValueEncrypted = envelope, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            secret.ValueEncrypted = envelope;
            secret.UpdatedAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var envelope = await db.Set<WorkspaceSecret>().AsNoTracking()
            .Where(s => s.Name == name).Select(s => s.ValueEncrypted).SingleOrDefaultAsync(cancellationToken);
        return envelope is null ? null : await protector.UnprotectAsync(workspaceId, Address(name), envelope, cancellationToken);
    }

    private static FieldAddress Address(string name) => new(Table, Column, name);
}
