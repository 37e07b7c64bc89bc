using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>A job as the API and the pages show it. Unchanged rows matched an existing item and would change nothing.</summary>
public sealed record ImportJobView(
    Guid Id,
    ImportKind Kind,
    ImportStatus Status,
    string FileName,
    long FileSize,
    string? Encoding,
    string? Delimiter,
    int TotalRows,
    int ProcessedRows,
    int CreateCount,
    int UpdateCount,
    int UnchangedCount,
    int RejectCount,
    IReadOnlyList<ImportRowError> Errors,
    string? Failure,
    bool CanCommit,
    bool IsRunning,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    /// <summary>More rows were rejected than <see cref="Errors"/> lists (it keeps the first <see cref="ImportTally.MaxErrors"/>).</summary>
    public bool ErrorsTruncated => RejectCount > Errors.Count;
}

/// <summary>The limits of an upload.</summary>
public static class ImportLimits
{
    /// <summary>50 MB: a hundred thousand assets fit in about a fifth of it.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

    /// <summary>The request may be this much larger than the file (the multipart framing and the other fields).</summary>
    public const long MaxRequestBytes = MaxFileBytes + (1024 * 1024);

    /// <summary>A job checked but neither committed nor abandoned gives its file back after this.</summary>
    public static readonly TimeSpan KeepUncommitted = TimeSpan.FromDays(7);

    /// <summary>
    /// A running job whose progress has not moved for this long was left by a host that stopped: the next look at it
    /// queues it again (a dry run) or gives it back to be committed again (a commit, whose transaction died with the
    /// host). Progress is written every second, so a live job is never this quiet; SQLite writes no progress during a
    /// commit (one writer), and there is one host anyway, so there the wait is long.
    /// </summary>
    public static TimeSpan StalledAfter(bool postgres) => postgres ? TimeSpan.FromMinutes(2) : TimeSpan.FromHours(2);
}

/// <summary>Uploads a file as a new job and queues its dry run.</summary>
public sealed class StartImport(WorkspaceDbContext db, WorkspaceContext workspace, PendingImports queue, ImportJobs jobs, AuditTrail audit, TimeProvider time)
{
    public async Task<ImportJobView> ExecuteAsync(
        ImportKind kind, string? fileName, Stream content, long length, string? encoding, string? delimiter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (length > ImportLimits.MaxFileBytes)
        {
            throw new FileTooLargeException();
        }

        var (chosenEncoding, chosenDelimiter) = ImportFile.ValidateChoices(encoding, delimiter);
        if (length == 0)
        {
            throw new OperationRefusedException("The file is empty: it needs a header row naming its columns, then a row per item.");
        }

        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken);
        var now = time.GetUtcNow();
        await ExpireAsync(now, cancellationToken);
        var job = new ImportJob
        {
            Kind = kind,
            Status = ImportStatus.Queued,
            FileName = CleanName(fileName),
            FileSize = length,
            Encoding = chosenEncoding,
            Delimiter = chosenDelimiter,
            CreatedByUserId = audit.CurrentActor().UserId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // The file goes in by an UPDATE of its own rather than with the tracked row, which EF would then keep a
        // second copy of (its snapshot of the row's original values): a 50 MB upload costs 50 MB, not 100.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Add(job);
            await db.SaveChangesAsync(cancellationToken);
            await db.Set<ImportJob>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s.SetProperty(j => j.Content, bytes), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        queue.Enqueue(new ImportWork(workspace.Current, job.Id, ImportStep.Check, audit.CurrentActor()));
        return await jobs.GetAsync(job.Id, cancellationToken);
    }

    /// <summary>Files of jobs nobody committed or abandoned in a week are dropped, so the database does not keep them for ever.</summary>
    private Task<int> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoff = now - ImportLimits.KeepUncommitted;
        return db.Set<ImportJob>()
            .Where(j => j.Status == ImportStatus.Checked && j.Content != null)
            .WhereBefore(db.Database, j => j.UpdatedAt, cutoff)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Content, (byte[]?)null)
                    .SetProperty(j => j.Status, ImportStatus.Failed)
                    .SetProperty(j => j.Failure, "Not committed within a week of its dry run; upload the file again to import it.")
                    .SetProperty(j => j.UpdatedAt, now),
                cancellationToken);
    }

    /// <summary>The name as a browser sent it, without any folder, bounded to the column.</summary>
    private static string CleanName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/')).Trim();
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        return name.Length == 0 ? "upload.csv" : name.Length <= 255 ? name : name[..255];
    }
}

/// <summary>The upload is over <see cref="ImportLimits.MaxFileBytes"/>; the API answers 413.</summary>
public sealed class FileTooLargeException() : Exception(
    $"The file is larger than {ImportLimits.MaxFileBytes / (1024 * 1024)} MB, the most one import takes. Split it into several files.");

/// <summary>
/// Commits a checked job: claims it with a conditional update (only a job checked with no rejected row, not already
/// committing, qualifies, so two clicks or two hosts never commit one file twice) and queues the work.
/// </summary>
public sealed class CommitImport(WorkspaceDbContext db, WorkspaceContext workspace, PendingImports queue, ImportJobs jobs, AuditTrail audit, TimeProvider time)
{
    public async Task<ImportJobView> ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken);
        var claimed = await db.Set<ImportJob>()
            .Where(j => j.Id == id && j.Status == ImportStatus.Checked && j.RejectCount == 0 && j.Content != null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, ImportStatus.Committing)
                    .SetProperty(j => j.ProcessedRows, 0)
                    .SetProperty(j => j.Failure, (string?)null)
                    .SetProperty(j => j.UpdatedAt, time.GetUtcNow()),
                cancellationToken);
        if (claimed == 0)
        {
            throw new ConflictException(job.Status switch
            {
                ImportStatus.Queued or ImportStatus.Checking => "The dry run of this file has not finished; commit it once it has.",
                ImportStatus.Committing => "This file is being committed already.",
                ImportStatus.Committed => "This file is already imported.",
                ImportStatus.Checked when job.RejectCount > 0 => "Rows of this file were rejected, so nothing of it can be committed. Fix them and upload the file again.",
                _ => "This file can no longer be committed; upload it again.",
            });
        }

        queue.Enqueue(new ImportWork(workspace.Current, id, ImportStep.Commit, audit.CurrentActor()));
        return await jobs.GetAsync(id, cancellationToken);
    }
}

/// <summary>Abandons a job that is not being committed and was not committed: the job and its file are deleted.</summary>
public sealed class AbandonImport(WorkspaceDbContext db, ImportJobs jobs)
{
    public async Task ExecuteAsync(Guid id, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken);
        var deleted = await db.Set<ImportJob>()
            .Where(j => j.Id == id && j.Status != ImportStatus.Committing && j.Status != ImportStatus.Committed)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            throw new ConflictException(job.Status == ImportStatus.Committed
                ? "This file is already imported; its record stays, and the audit log has every change it made."
                : "This file is being committed; it can no longer be abandoned.");
        }
    }
}

/// <summary>Reads the jobs of this workspace, and notices jobs a stopped host left running.</summary>
public sealed class ImportJobs(WorkspaceDbContext db, WorkspaceContext workspace, PendingImports queue, TimeProvider time)
{
    public const int RecentCount = 20;

    private static readonly JsonSerializerOptions ErrorsJson = new(JsonSerializerDefaults.Web);

    public async Task<ImportJobView> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var job = await Find(id, cancellationToken) ?? throw new NotFoundException("This workspace has no import with that id.");
        if (await ResumeIfStalledAsync(job, cancellationToken))
        {
            job = await Find(id, cancellationToken) ?? throw new NotFoundException("This workspace has no import with that id.");
        }

        return View(job);
    }

    /// <summary>The most recent jobs, newest first, without their errors.</summary>
    public async Task<IReadOnlyList<ImportJobView>> RecentAsync(CancellationToken cancellationToken) =>
        [.. (await Rows(db.Set<ImportJob>().OrderByDescending(j => j.CreatedAt).Take(RecentCount), withErrors: false)
            .ToListAsync(cancellationToken)).Select(View)];

    private static ImportJobView View(JobRow job)
    {
        var errors = job.Errors is null ? [] : JsonSerializer.Deserialize<List<ImportRowError>>(job.Errors, ErrorsJson) ?? [];
        var finished = job.Status is ImportStatus.Checked or ImportStatus.Committed;
        return new ImportJobView(
            job.Id, job.Kind, job.Status, job.FileName, job.FileSize, job.Encoding, job.Delimiter, job.TotalRows, job.ProcessedRows,
            job.CreateCount, job.UpdateCount,
            finished ? Math.Max(0, job.TotalRows - job.CreateCount - job.UpdateCount - job.RejectCount) : 0,
            job.RejectCount, errors, job.Failure,
            CanCommit: job.Status == ImportStatus.Checked && job.RejectCount == 0 && job.HasContent,
            IsRunning: job.Status is ImportStatus.Queued or ImportStatus.Checking or ImportStatus.Committing,
            job.CreatedAt, job.UpdatedAt, job.CompletedAt);
    }

    /// <summary>
    /// A dry run left by a stopped host is queued again here (its claim is a conditional update, so a host that is
    /// merely slow cannot be doubled); a commit left so is given back as checked, since its transaction died with it.
    /// </summary>
    private async Task<bool> ResumeIfStalledAsync(JobRow job, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoff = now - ImportLimits.StalledAfter(db.Database.IsNpgsql());
        if (job.UpdatedAt >= cutoff || job.Status is not (ImportStatus.Queued or ImportStatus.Checking or ImportStatus.Committing))
        {
            return false;
        }

        var jobs = db.Set<ImportJob>().Where(j => j.Id == job.Id).WhereBefore(db.Database, j => j.UpdatedAt, cutoff);
        if (job.Status == ImportStatus.Committing)
        {
            return await jobs.Where(j => j.Status == ImportStatus.Committing).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, ImportStatus.Checked)
                    .SetProperty(j => j.Failure, "The commit was interrupted (the server running it stopped), and nothing was imported. Commit again.")
                    .SetProperty(j => j.UpdatedAt, now),
                cancellationToken) > 0;
        }

        var requeued = await jobs.Where(j => j.Status == ImportStatus.Queued || j.Status == ImportStatus.Checking).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, ImportStatus.Queued).SetProperty(j => j.UpdatedAt, now), cancellationToken);
        if (requeued > 0)
        {
            queue.Enqueue(new ImportWork(workspace.Current, job.Id, ImportStep.Check, new AuditActor(null, null)));
        }

        return requeued > 0;
    }

    private Task<JobRow?> Find(Guid id, CancellationToken cancellationToken) =>
        Rows(db.Set<ImportJob>().Where(j => j.Id == id), withErrors: true).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Every column but the file itself, which can be 50 MB: whether there is one is all a reader needs.</summary>
    private static IQueryable<JobRow> Rows(IQueryable<ImportJob> jobs, bool withErrors) =>
        jobs.AsNoTracking().Select(j => new JobRow(
            j.Id, j.Kind, j.Status, j.FileName, j.FileSize, j.Encoding, j.Delimiter, j.TotalRows, j.ProcessedRows, j.CreateCount,
            j.UpdateCount, j.RejectCount, withErrors ? j.Errors : null, j.Failure, j.Content != null, j.CreatedAt, j.UpdatedAt, j.CompletedAt));

    private sealed record JobRow(
        Guid Id, ImportKind Kind, ImportStatus Status, string FileName, long FileSize, string? Encoding, string? Delimiter, int TotalRows,
        int ProcessedRows, int CreateCount, int UpdateCount, int RejectCount, string? Errors, string? Failure, bool HasContent,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt);
}
