using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>Soft-deletes a document: it leaves the lists and its downloads stop, but every version is kept for an Admin to restore.</summary>
public sealed class DeleteDocument(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var document = await DocumentLoad.RegisterAsync(db, id, cancellationToken);
        if (document.DeletedAt is not null)
        {
            return;
        }

        var actor = audit.CurrentActor();
        document.DeletedAt = time.GetUtcNow();
        document.DeletedBy = actor.Label;
        document.UpdatedAt = document.DeletedAt.Value;
        document.Version++;
        audit.AddChange(AuditEventType.DocumentDeleted, DocumentQueries.EntityType, id.ToString(), [new FieldChange("deleted", "false", "true")], subject: document.Name, actor);
        await DocumentChanges.SaveAsync(db, cancellationToken);
    }
}

/// <summary>Brings a soft-deleted document back, with all its versions (Admin).</summary>
public sealed class RestoreDocument(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var document = await DocumentLoad.RegisterAsync(db, id, cancellationToken);
        if (document.DeletedAt is null)
        {
            return;
        }

        document.DeletedAt = null;
        document.DeletedBy = null;
        document.UpdatedAt = time.GetUtcNow();
        document.Version++;
        audit.AddChange(AuditEventType.DocumentRestored, DocumentQueries.EntityType, id.ToString(), [new FieldChange("deleted", "true", "false")], subject: document.Name);
        await DocumentChanges.SaveAsync(db, cancellationToken);
    }
}

internal static class DocumentLoad
{
    public static async Task<Document> RegisterAsync(WorkspaceDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Set<Document>().SingleOrDefaultAsync(d => d.Id == id && d.Purpose == DocumentPurpose.Register, cancellationToken)
            ?? throw new NotFoundException("This workspace has no such document.");
}
