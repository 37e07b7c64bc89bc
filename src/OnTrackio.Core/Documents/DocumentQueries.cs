using Microsoft.EntityFrameworkCore;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

public sealed record DocumentVersionView(
    int Number, string OriginalName, string ContentType, long Size, string Sha256, string? UploadedBy, DateTimeOffset UploadedAt, int? RestoredFrom, bool IsCurrent);

public sealed record DocumentLinkView(string TargetKind, Guid TargetId);

/// <summary>A document as lists show it: its current version's facts.</summary>
public sealed record DocumentView(
    Guid Id,
    string Name,
    string ContentType,
    long Size,
    int VersionNumber,
    string? UploadedBy,
    DateTimeOffset UploadedAt,
    DateTimeOffset? DeletedAt,
    string? DeletedBy,
    IReadOnlyList<DocumentLinkView> Links);

/// <summary>A document with every version, newest first.</summary>
public sealed record DocumentDetails(DocumentView Document, IReadOnlyList<DocumentVersionView> Versions);

/// <summary>Reads documents of the register (branding documents are the branding page's, not listed here).</summary>
public sealed class DocumentQueries(WorkspaceDbContext db)
{
    public const string EntityType = "document";

    public async Task<IReadOnlyList<DocumentView>> ListAsync(DocumentTarget? target, bool includeDeleted, CancellationToken cancellationToken)
    {
        var documents = db.Set<Document>().AsNoTracking().Where(d => d.Purpose == DocumentPurpose.Register);
        if (!includeDeleted)
        {
            documents = documents.Where(d => d.DeletedAt == null);
        }

        if (target is not null)
        {
            documents = documents.Where(d => db.Set<DocumentLink>().Any(l => l.DocumentId == d.Id && l.TargetKind == target.Kind && l.TargetId == target.Id));
        }

        var rows = await documents
            .Join(db.Set<DocumentVersion>(), d => d.CurrentVersionId, v => v.Id, (d, v) => new { Document = d, Current = v })
            .OrderBy(x => x.Document.Name).ThenBy(x => x.Document.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Document.Id).ToList();
        var links = (await db.Set<DocumentLink>().AsNoTracking().Where(l => ids.Contains(l.DocumentId)).ToListAsync(cancellationToken)).ToLookup(l => l.DocumentId);
        return [.. rows.Select(r => View(r.Document, r.Current, links[r.Document.Id]))];
    }

    /// <summary>One document; a deleted one only for <paramref name="includeDeleted"/> (Admins), otherwise not found.</summary>
    public async Task<DocumentDetails> GetAsync(Guid id, bool includeDeleted, CancellationToken cancellationToken)
    {
        var document = await db.Set<Document>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id && d.Purpose == DocumentPurpose.Register, cancellationToken);
        if (document is null || (document.DeletedAt is not null && !includeDeleted))
        {
            throw new NotFoundException("This workspace has no such document.");
        }

        var versions = await db.Set<DocumentVersion>().AsNoTracking().Where(v => v.DocumentId == id).OrderByDescending(v => v.Number).ToListAsync(cancellationToken);
        var links = await db.Set<DocumentLink>().AsNoTracking().Where(l => l.DocumentId == id).ToListAsync(cancellationToken);
        var current = versions.Single(v => v.Id == document.CurrentVersionId);
        return new DocumentDetails(
            View(document, current, links),
            [.. versions.Select(v => new DocumentVersionView(v.Number, v.OriginalName, v.ContentType, v.Size, v.Sha256, v.UploadedBy, v.UploadedAt, v.RestoredFrom, v.Id == current.Id))]);
    }

    private static DocumentView View(Document document, DocumentVersion current, IEnumerable<DocumentLink> links) => new(
        document.Id, document.Name, current.ContentType, current.Size, current.Number, current.UploadedBy, current.UploadedAt, document.DeletedAt, document.DeletedBy,
        [.. links.OrderBy(l => l.TargetKind).Select(l => new DocumentLinkView(l.TargetKind.ToString().ToLowerInvariant(), l.TargetId))]);
}
