using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

public sealed record DownloadUrl(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// A short-lived signed URL for one version of a document (the current one unless a number is named), bound to the
/// asking request's host. The store's signed GET always answers as an attachment with the detected type, so even an
/// image is downloaded rather than rendered on the workspace's origin. A deleted document has no download until restored.
/// </summary>
public sealed class MintDownloadUrl(WorkspaceDbContext db, WorkspaceContext workspace, ObjectStores stores, IOptions<StorageOptions> storage, TimeProvider time)
{
    public async Task<DownloadUrl> ExecuteAsync(Guid documentId, int? versionNumber, Uri workspaceBaseUri, DocumentPurpose purpose, CancellationToken cancellationToken)
    {
        var document = await db.Set<Document>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.Purpose == purpose && d.DeletedAt == null, cancellationToken)
            ?? throw new NotFoundException("This workspace has no such document.");
        var version = await db.Set<DocumentVersion>().AsNoTracking()
            .SingleOrDefaultAsync(v => v.DocumentId == documentId && (versionNumber == null ? v.Id == document.CurrentVersionId : v.Number == versionNumber), cancellationToken)
            ?? throw new NotFoundException($"This document has no version {versionNumber}.");
        var expiresAt = time.GetUtcNow() + storage.Value.SignedUrlLifetime;
        var url = await stores.ForRegion(workspace.Current.RegionId).SignUrlAsync(
            new SignedUrlRequest(ObjectKey.For(workspace.Current, version.ObjectName), SignedMethod.Get, expiresAt, workspaceBaseUri, version.OriginalName, version.ContentType),
            cancellationToken);
        return new DownloadUrl(url, expiresAt);
    }
}
