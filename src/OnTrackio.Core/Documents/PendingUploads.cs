using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Audit;
using OnTrackio.Storage;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

public sealed record UploadUrlRequest(string? FileName, long? Size);

public sealed record UploadUrl(Guid UploadId, Uri Url, string Method, DateTimeOffset ExpiresAt, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Hands an API client a signed PUT URL for <c>uploads/&lt;upload id&gt;</c>. The bytes put there are unchecked until
/// <see cref="CompleteUpload"/> reads them back through the upload rules. A size declared here is checked at once, so a
/// client learns early that a file will not fit.
/// </summary>
public sealed class CreateUploadUrl(
    WorkspaceDbContext db, WorkspaceContext workspace, ObjectStores stores, AuditTrail audit, IOptions<DocumentOptions> options, IOptions<StorageOptions> storage,
    TimeProvider time, SweepPendingUploads sweep)
{
    public async Task<UploadUrl> ExecuteAsync(UploadUrlRequest request, Uri workspaceBaseUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxFile = Math.Min(options.Value.MaxFileBytes, storage.Value.MaxObjectBytes);
        if (request.Size is < 0)
        {
            throw new UploadRefusedException("size is the file's length in bytes.");
        }

        if (request.Size > maxFile)
        {
            throw new UploadRefusedException($"The file is larger than the {UploadDocument.Megabytes(maxFile)} a file may be.", tooLarge: true);
        }

        // Each new upload first clears this workspace's abandoned ones, so they never pile up unnoticed.
        await sweep.ExecuteAsync(cancellationToken);

        var now = time.GetUtcNow();
        var actor = audit.CurrentActor();
        var id = Guid.CreateVersion7();
        var pending = new PendingUpload
        {
            Id = id,
            ObjectName = $"uploads/{id:N}",
            DeclaredName = request.FileName is null ? null : DocumentName.Sanitise(request.FileName),
            DeclaredSize = request.Size,
            CreatedById = actor.Id,
            CreatedAt = now,
            ExpiresAt = now + storage.Value.SignedUrlLifetime,
        };
        db.Add(pending);
        await db.SaveChangesAsync(cancellationToken);

        var url = await stores.ForRegion(workspace.Current.RegionId).SignUrlAsync(
            new SignedUrlRequest(ObjectKey.For(workspace.Current, pending.ObjectName), SignedMethod.Put, pending.ExpiresAt, workspaceBaseUri),
            cancellationToken);
        // The S3 store signs its server-side encryption header into the URL, so the client must send it (the web host ignores it).
        var headers = new Dictionary<string, string>(SignedUrlHeaders.Put, StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/octet-stream" };
        return new UploadUrl(pending.Id, url, "PUT", pending.ExpiresAt, headers);
    }
}

/// <summary>What an API client sends to turn an upload into a document (or, with a document id, into its next version).</summary>
public sealed record CompleteUploadRequest(Guid UploadId, string? Name, IReadOnlyList<string>? Links);

/// <summary>
/// Reads a pending upload back from the store through the same rules as a form upload (size, quota, type from the
/// bytes, SHA-256), storing it as the version's own object; whether accepted or refused, the pending object and row go.
/// </summary>
public sealed class CompleteUpload(
    WorkspaceDbContext db, WorkspaceContext workspace, ObjectStores stores, AuditTrail audit, UploadDocument upload, IOptions<DocumentOptions> options,
    TimeProvider time, ILogger<CompleteUpload> logger)
{
    public async Task<Guid> ExecuteAsync(Guid? replaceDocumentId, CompleteUploadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var links = new List<DocumentTarget>();
        foreach (var link in request.Links ?? [])
        {
            links.Add(DocumentTarget.TryParse(link, out var target)
                ? target
                : throw new UploadRefusedException($"'{link}' is not a link: write kind:id, e.g. asset:0193…, with kind one of asset, model, supplier."));
        }

        var actor = audit.CurrentActor();
        var pending = await db.Set<PendingUpload>().SingleOrDefaultAsync(p => p.Id == request.UploadId && p.CreatedById == actor.Id, cancellationToken)
            ?? throw new NotFoundException("There is no such upload; ask for a new upload URL.");
        if (pending.ExpiresAt + options.Value.PendingUploadGrace < time.GetUtcNow())
        {
            throw new UploadRefusedException("This upload has expired; ask for a new upload URL.");
        }

        var store = stores.ForRegion(workspace.Current.RegionId);
        var key = ObjectKey.For(workspace.Current, pending.ObjectName);
        var stored = await store.FindAsync(key, cancellationToken)
            ?? throw new UploadRefusedException("Nothing was uploaded to this upload's URL yet: PUT the file to it first.");

        // Removed in the same save as the new version's rows; on a refusal, removed on its own below.
        db.Remove(pending);
        try
        {
            await using var content = await store.OpenReadAsync(key, cancellationToken);
            var id = await upload.ExecuteAsync(
                new DocumentUpload(request.Name ?? pending.DeclaredName, links) { ReplaceDocumentId = replaceDocumentId, KnownLength = stored.Length },
                content,
                cancellationToken);
            await DeleteQuietlyAsync(store, key);
            return id;
        }
        catch (UploadRefusedException)
        {
            await DiscardAsync(store, key);
            throw;
        }
    }

    private async Task DiscardAsync(IObjectStore store, ObjectKey key)
    {
        await DeleteQuietlyAsync(store, key);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not PendingUpload).ToList())
        {
            entry.State = entry.State == EntityState.Added ? EntityState.Detached : EntityState.Unchanged;
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task DeleteQuietlyAsync(IObjectStore store, ObjectKey key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort: the sweep removes the row's object later if this fails.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Could not delete the pending upload object {ObjectName}", key.Name);
        }
    }
}

/// <summary>Deletes this workspace's pending uploads (object and row) that were neither completed nor refused in time.</summary>
public sealed class SweepPendingUploads(WorkspaceDbContext db, WorkspaceContext workspace, ObjectStores stores, IOptions<DocumentOptions> options, TimeProvider time)
{
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - options.Value.PendingUploadGrace;
        var expired = await db.Set<PendingUpload>().WhereBefore(db.Database, p => p.ExpiresAt, cutoff).ToListAsync(cancellationToken);
        var store = stores.ForRegion(workspace.Current.RegionId);
        foreach (var pending in expired)
        {
            await store.DeleteAsync(ObjectKey.For(workspace.Current, pending.ObjectName), cancellationToken);
            db.Remove(pending);
        }

        await db.SaveChangesAsync(cancellationToken);
        return expired.Count;
    }
}
