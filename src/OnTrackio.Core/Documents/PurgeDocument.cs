using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OnTrackio.Audit;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>
/// Removes a document for good (Admin): its rows, then every stored object of its versions. It cannot be undone, so it
/// is its own audited act, separate from deleting.
/// </summary>
/// <remarks>
/// Rows first, then objects: if the objects went first and the save failed, rows would name objects that are gone. An
/// object whose delete fails after the save is logged and left under a version id no row names any more.
/// </remarks>
public sealed class PurgeDocument(WorkspaceDbContext db, WorkspaceContext workspace, ObjectStores stores, AuditTrail audit, ILogger<PurgeDocument> logger)
{
    public async Task ExecuteAsync(Guid id, DocumentPurpose purpose, CancellationToken cancellationToken)
    {
        var document = await db.Set<Document>().SingleOrDefaultAsync(d => d.Id == id && d.Purpose == purpose, cancellationToken)
            ?? throw new NotFoundException("This workspace has no such document.");
        var versions = await db.Set<DocumentVersion>().Where(v => v.DocumentId == id).ToListAsync(cancellationToken);
        var objectNames = versions.Select(v => v.ObjectName).Distinct(StringComparer.Ordinal).ToList();
        var branding = await db.Set<BrandingSettings>().SingleOrDefaultAsync(b => b.LogoDocumentId == id, cancellationToken);
        if (branding is not null)
        {
            branding.LogoDocumentId = null;
        }

        db.RemoveRange(versions);
        db.RemoveRange(await db.Set<DocumentLink>().Where(l => l.DocumentId == id).ToListAsync(cancellationToken));
        db.Remove(document);
        audit.AddChange(AuditEventType.DocumentPurged, DocumentQueries.EntityType, id.ToString(),
            [new FieldChange("versions", versions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), null)], subject: document.Name);
        await DocumentChanges.SaveAsync(db, cancellationToken);

        var store = stores.ForRegion(workspace.Current.RegionId);
        foreach (var name in objectNames)
        {
            try
            {
                await store.DeleteAsync(ObjectKey.For(workspace.Current, name), CancellationToken.None);
            }
#pragma warning disable CA1031 // The rows are gone and the act is recorded; a failed object delete is logged, not undone.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Purge left the object {ObjectName} of workspace {WorkspaceId}", name, workspace.Current.Id);
            }
        }
    }
}
