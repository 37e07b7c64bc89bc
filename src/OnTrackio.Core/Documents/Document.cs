using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Documents;

/// <summary>Why a document exists: papers of the register, or the workspace's own branding (its logo).</summary>
public enum DocumentPurpose
{
    Register = 0,
    Branding = 1,
}

/// <summary>
/// A file kept for the workspace: its name and which of its immutable versions is current. Deleting is soft (it leaves
/// the lists and can be restored by an Admin); only purging removes the rows and the stored objects.
/// </summary>
public sealed class Document
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The sanitised display name, extension included.</summary>
    public required string Name { get; set; }

    public DocumentPurpose Purpose { get; init; }

    /// <summary>Set in the same save as the first version; no foreign key, since a version also points at its document.</summary>
    public Guid CurrentVersionId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public string? DeletedBy { get; set; }

    /// <summary>Bumped by every change and checked at save, so two replacements of one document cannot both win.</summary>
    public long Version { get; set; } = 1;
}

/// <summary>
/// One upload of a document. Never changed once written: a replacement is a new version, and restoring an earlier one
/// is a new version too, naming the same stored object (so nothing is copied and nothing is rewritten).
/// </summary>
public sealed class DocumentVersion
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid DocumentId { get; init; }

    /// <summary>1, 2, 3… per document.</summary>
    public int Number { get; init; }

    /// <summary>The object key's name part (after the workspace prefix), e.g. <c>documents/&lt;version id&gt;</c>.</summary>
    public required string ObjectName { get; init; }

    /// <summary>The file name as uploaded, after sanitising.</summary>
    public required string OriginalName { get; init; }

    /// <summary>The content type detected from the bytes, never the one the client claimed.</summary>
    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public Guid? UploadedById { get; init; }

    public string? UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }

    /// <summary>The number of the version this one restored, when it is a restore.</summary>
    public int? RestoredFrom { get; init; }
}

/// <summary>What a document may be attached to. Licences and requests are named now so links need no migration later.</summary>
public enum DocumentTargetKind
{
    Asset = 0,
    Model = 1,
    Supplier = 2,
    Licence = 3,
    Request = 4,
}

/// <summary>One thing of the register a document is attached to; a document may be attached to several.</summary>
public sealed class DocumentLink
{
    public Guid DocumentId { get; init; }

    public DocumentTargetKind TargetKind { get; init; }

    public Guid TargetId { get; init; }
}

/// <summary>
/// An upload URL handed out by the API and not yet turned into a document: the object at <see cref="ObjectName"/> is
/// unchecked bytes until the client completes the upload and the server reads them back through the upload rules.
/// </summary>
public sealed class PendingUpload
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string ObjectName { get; init; }

    public string? DeclaredName { get; init; }

    public long? DeclaredSize { get; init; }

    public string? DeclaredType { get; init; }

    /// <summary>The user (or, for a service token, the token) that asked; only they may complete it.</summary>
    public Guid? CreatedById { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }
}

internal sealed class DocumentConfiguration :
    IEntityTypeConfiguration<Document>, IEntityTypeConfiguration<DocumentVersion>, IEntityTypeConfiguration<DocumentLink>, IEntityTypeConfiguration<PendingUpload>
{
    public void Configure(EntityTypeBuilder<Document> builder)
    {
        builder.ToTable("documents");
        builder.Property(d => d.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(d => d.Name).HasColumnName("name").HasMaxLength(DocumentName.MaxLength);
        builder.Property(d => d.Purpose).HasColumnName("purpose").HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.CurrentVersionId).HasColumnName("current_version_id");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.UpdatedAt).HasColumnName("updated_at");
        builder.Property(d => d.DeletedAt).HasColumnName("deleted_at");
        builder.Property(d => d.DeletedBy).HasColumnName("deleted_by").HasMaxLength(254);
        builder.Property(d => d.Version).HasColumnName("version").IsConcurrencyToken();
        builder.HasIndex(d => d.DeletedAt);
    }

    public void Configure(EntityTypeBuilder<DocumentVersion> builder)
    {
        builder.ToTable("document_versions");
        builder.Property(v => v.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(v => v.DocumentId).HasColumnName("document_id");
        builder.Property(v => v.Number).HasColumnName("number");
        builder.Property(v => v.ObjectName).HasColumnName("object_name").HasMaxLength(128);
        builder.Property(v => v.OriginalName).HasColumnName("original_name").HasMaxLength(DocumentName.MaxLength);
        builder.Property(v => v.ContentType).HasColumnName("content_type").HasMaxLength(128);
        builder.Property(v => v.Size).HasColumnName("size");
        builder.Property(v => v.Sha256).HasColumnName("sha256").HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.UploadedById).HasColumnName("uploaded_by_id");
        builder.Property(v => v.UploadedBy).HasColumnName("uploaded_by").HasMaxLength(254);
        builder.Property(v => v.UploadedAt).HasColumnName("uploaded_at");
        builder.Property(v => v.RestoredFrom).HasColumnName("restored_from");
        builder.HasOne<Document>().WithMany().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);

        // The second guard (after the document's row version) against two replacements numbering themselves alike.
        builder.HasIndex(v => new { v.DocumentId, v.Number }).IsUnique();
        builder.HasIndex(v => v.ObjectName);
    }

    public void Configure(EntityTypeBuilder<DocumentLink> builder)
    {
        builder.ToTable("document_links");
        builder.HasKey(l => new { l.DocumentId, l.TargetKind, l.TargetId });
        builder.Property(l => l.DocumentId).HasColumnName("document_id");
        builder.Property(l => l.TargetKind).HasColumnName("target_kind").HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.TargetId).HasColumnName("target_id");
        builder.HasOne<Document>().WithMany().HasForeignKey(l => l.DocumentId).OnDelete(DeleteBehavior.Cascade);

        // Listing a target's documents is the common read.
        builder.HasIndex(l => new { l.TargetKind, l.TargetId });
    }

    public void Configure(EntityTypeBuilder<PendingUpload> builder)
    {
        builder.ToTable("pending_uploads");
        builder.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(p => p.ObjectName).HasColumnName("object_name").HasMaxLength(128);
        builder.Property(p => p.DeclaredName).HasColumnName("declared_name").HasMaxLength(DocumentName.MaxLength);
        builder.Property(p => p.DeclaredSize).HasColumnName("declared_size");
        builder.Property(p => p.DeclaredType).HasColumnName("declared_type").HasMaxLength(128);
        builder.Property(p => p.CreatedById).HasColumnName("created_by_id");
        builder.Property(p => p.CreatedAt).HasColumnName("created_at");
        builder.Property(p => p.ExpiresAt).HasColumnName("expires_at");
        builder.HasIndex(p => p.ExpiresAt);
    }
}
