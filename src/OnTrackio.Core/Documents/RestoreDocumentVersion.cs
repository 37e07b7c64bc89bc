using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>
/// Makes an earlier version current again (Admin) by adding a new version that names the earlier one's stored object:
/// versions stay immutable and numbered in the order things happened, and nothing is copied.
/// </summary>
public sealed class RestoreDocumentVersion(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<int> ExecuteAsync(Guid id, int number, CancellationToken cancellationToken)
    {
        var document = await DocumentLoad.RegisterAsync(db, id, cancellationToken);
        if (document.DeletedAt is not null)
        {
            throw new OperationRefusedException("This document is deleted; restore the document first.");
        }

        var earlier = await db.Set<DocumentVersion>().AsNoTracking().SingleOrDefaultAsync(v => v.DocumentId == id && v.Number == number, cancellationToken)
            ?? throw new NotFoundException($"This document has no version {number}.");
        if (earlier.Id == document.CurrentVersionId)
        {
            throw new OperationRefusedException($"Version {number} is already the current version.");
        }

        var next = await db.Set<DocumentVersion>().Where(v => v.DocumentId == id).MaxAsync(v => v.Number, cancellationToken) + 1;
        var now = time.GetUtcNow();
        var actor = audit.CurrentActor();
        var restored = new DocumentVersion
        {
            DocumentId = id,
            Number = next,
            ObjectName = earlier.ObjectName,
            OriginalName = earlier.OriginalName,
            ContentType = earlier.ContentType,
            Size = earlier.Size,
            Sha256 = earlier.Sha256,
            UploadedById = actor.UserId ?? actor.Id,
            UploadedBy = actor.Label,
            UploadedAt = now,
            RestoredFrom = number,
        };
        db.Add(restored);
        document.CurrentVersionId = restored.Id;
        document.Name = earlier.OriginalName;
        document.UpdatedAt = now;
        document.Version++;
        audit.AddChange(AuditEventType.DocumentVersionRestored, DocumentQueries.EntityType, id.ToString(),
            [new FieldChange("version", null, next.ToString(CultureInfo.InvariantCulture)), new FieldChange("restored_from", null, number.ToString(CultureInfo.InvariantCulture)),
             new FieldChange("sha256", null, earlier.Sha256)],
            subject: document.Name, actor);
        await DocumentChanges.SaveAsync(db, cancellationToken);
        return next;
    }
}
