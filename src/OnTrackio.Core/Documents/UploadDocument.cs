using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>What is being uploaded: a new document attached to <see cref="Links"/>, or a new version of <see cref="ReplaceDocumentId"/>.</summary>
public sealed record DocumentUpload(string? FileName, IReadOnlyList<DocumentTarget> Links)
{
    public Guid? ReplaceDocumentId { get; init; }

    public DocumentPurpose Purpose { get; init; } = DocumentPurpose.Register;

    /// <summary>The id a new document gets, chosen by a caller that saves something naming it in the same transaction.</summary>
    public Guid NewDocumentId { get; init; } = Guid.CreateVersion7();

    /// <summary>The size when known before reading (a stored pending upload), so an oversized file is refused unread.</summary>
    public long? KnownLength { get; init; }
}

/// <summary>
/// Stores an upload as a new document or a new version of one. The bytes stream once, from the request (or a pending
/// upload) through <see cref="InspectedContent"/> into the object store; the type comes from the first bytes, before
/// anything is written, and size, quota, hash and text validity are checked as the bytes pass.
/// </summary>
/// <remarks>
/// Order: the object is written first, then the rows and the audit entry are saved in one transaction. A row therefore
/// never names an object that is not there; a failure after the write (refused content, a lost race, the database)
/// leaves at most an object no row names, which is deleted at once (best effort: if that delete fails too, the
/// orphan sits under a version id no row will ever use, and the failure is logged).
/// </remarks>
public sealed class UploadDocument(
    WorkspaceDbContext db,
    WorkspaceContext workspace,
    ObjectStores stores,
    AuditTrail audit,
    IOptions<DocumentOptions> options,
    IOptions<StorageOptions> storage,
    TimeProvider time,
    ILogger<UploadDocument> logger)
{
    public async Task<Guid> ExecuteAsync(DocumentUpload upload, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(content);
        var name = DocumentName.Sanitise(upload.FileName);
        var document = await TargetDocumentAsync(upload, cancellationToken);
        var settings = options.Value;
        var maxFile = upload.Purpose == DocumentPurpose.Branding
            ? Math.Min(settings.MaxLogoBytes, settings.MaxFileBytes)
            : Math.Min(settings.MaxFileBytes, storage.Value.MaxObjectBytes);
        var used = await UsageAsync(db, cancellationToken);
        var remaining = settings.WorkspaceQuotaBytes - used;
        if (upload.KnownLength is { } known)
        {
            Refuse(known, maxFile, remaining, used);
        }
        else if (remaining <= 0)
        {
            Refuse(1, maxFile, remaining, used);
        }

        var head = await InspectedContent.ReadHeadAsync(content, DocumentTypes.HeadLength, cancellationToken);
        var type = DocumentTypes.Detect(head, name, upload.Purpose == DocumentPurpose.Branding ? DocumentTypes.LogoTypes : null);
        if (DocumentName.ExtensionOf(name).Length == 0)
        {
            name = DocumentName.WithExtension(name, type.DefaultExtension);
        }

        var versionId = Guid.CreateVersion7();
        var key = ObjectKey.For(workspace.Current, $"documents/{versionId:N}");
        var store = stores.ForRegion(workspace.Current.RegionId);
        await using var inspected = new InspectedContent(head, content, type, name, Math.Min(maxFile, Math.Max(remaining, 0)), read =>
        {
            try
            {
                Refuse(read, maxFile, remaining, used);
            }
            catch (UploadRefusedException refused)
            {
                return refused;
            }

            return new UploadRefusedException($"{name} is too large.", tooLarge: true);
        });
        try
        {
            await store.PutAsync(key, inspected, type.ContentType, cancellationToken);
            if (!inspected.Ended)
            {
                throw new InvalidOperationException("The store returned before reading the upload to its end.");
            }

            return await SaveAsync(upload, document, name, type, versionId, key.Name, inspected.BytesRead, inspected.Sha256, cancellationToken);
        }
        catch
        {
            await DeleteQuietlyAsync(store, key);
            throw;
        }
    }

    /// <summary>
    /// The bytes the workspace stores: every version, deleted documents' included, until purged. A restored version
    /// names an object already counted, so it is left out.
    /// </summary>
    public static Task<long> UsageAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<DocumentVersion>().Where(v => v.RestoredFrom == null).SumAsync(v => v.Size, cancellationToken);
    }

    internal static string Megabytes(long bytes) => bytes < 1024 * 1024
        ? (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB"
        : (bytes / (1024d * 1024d)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    private void Refuse(long size, long maxFile, long remaining, long used)
    {
        if (size > maxFile)
        {
            throw new UploadRefusedException($"The file is larger than the {Megabytes(maxFile)} a file may be; nothing was stored.", tooLarge: true);
        }

        if (size > remaining)
        {
            throw new UploadRefusedException(
                $"The workspace's documents may take {Megabytes(options.Value.WorkspaceQuotaBytes)} and {Megabytes(used)} are used; this file does not fit. " +
                "Purge deleted documents or ask for a larger quota; nothing was stored.");
        }
    }

    private async Task<Document?> TargetDocumentAsync(DocumentUpload upload, CancellationToken cancellationToken)
    {
        if (upload.ReplaceDocumentId is { } id)
        {
            var document = await db.Set<Document>().SingleOrDefaultAsync(d => d.Id == id && d.Purpose == upload.Purpose, cancellationToken)
                ?? throw new NotFoundException("This workspace has no such document.");
            return document.DeletedAt is null
                ? document
                : throw new UploadRefusedException("This document is deleted; an Admin can restore it before it is replaced.");
        }

        if (upload.Purpose == DocumentPurpose.Register && upload.Links.Count == 0)
        {
            throw new UploadRefusedException("Attach the document to an asset, a model or a supplier.");
        }

        foreach (var link in upload.Links.Distinct())
        {
            await link.EnsureExistsAsync(db, cancellationToken);
        }

        return null;
    }

    private async Task<Guid> SaveAsync(
        DocumentUpload upload, Document? document, string name, DocumentType type, Guid versionId, string objectName, long size, string sha256,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actor = audit.CurrentActor();
        var number = 1;
        if (document is null)
        {
            document = new Document { Id = upload.NewDocumentId, Name = name, Purpose = upload.Purpose, CreatedAt = now, UpdatedAt = now, CurrentVersionId = versionId };
            db.Add(document);
            foreach (var link in upload.Links.Distinct())
            {
                db.Add(new DocumentLink { DocumentId = document.Id, TargetKind = link.Kind, TargetId = link.Id });
            }
        }
        else
        {
            number = (await db.Set<DocumentVersion>().Where(v => v.DocumentId == document.Id).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0) + 1;
            document.Name = name;
            document.CurrentVersionId = versionId;
            document.UpdatedAt = now;
            document.Version++;
        }

        db.Add(new DocumentVersion
        {
            Id = versionId,
            DocumentId = document.Id,
            Number = number,
            ObjectName = objectName,
            OriginalName = name,
            ContentType = type.ContentType,
            Size = size,
            Sha256 = sha256,
            UploadedById = actor.UserId ?? actor.Id,
            UploadedBy = actor.Label,
            UploadedAt = now,
        });

        // The entry says what was stored and its fingerprint, never the content.
        List<FieldChange> changes =
        [
            new("name", null, name),
            new("version", null, number.ToString(CultureInfo.InvariantCulture)),
            new("size", null, size.ToString(CultureInfo.InvariantCulture)),
            new("sha256", null, sha256),
            new("content_type", null, type.ContentType),
        ];
        if (number == 1)
        {
            changes.AddRange(upload.Links.Distinct().Select(l => new FieldChange("link", null, l.ToString())));
        }

        audit.AddChange(number == 1 ? AuditEventType.DocumentUploaded : AuditEventType.DocumentReplaced, DocumentQueries.EntityType, document.Id.ToString(), changes, subject: name);
        await DocumentChanges.SaveAsync(db, cancellationToken);
        return document.Id;
    }

    private async Task DeleteQuietlyAsync(IObjectStore store, ObjectKey key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort: the original failure is what the caller must see.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not delete the unreferenced object {ObjectName} of workspace {WorkspaceId}", key.Name, key.WorkspaceId);
        }
    }
}

/// <summary>Saving a document change, with a lost race said as such.</summary>
internal static class DocumentChanges
{
    public static async Task SaveAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException("The document was changed by someone else at the same moment; read it again and retry.");
        }
    }
}
