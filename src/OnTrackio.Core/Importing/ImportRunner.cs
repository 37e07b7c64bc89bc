using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OnTrackio.Assets;
using OnTrackio.Audit;
using OnTrackio.Databases;
using OnTrackio.Register;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Importing;

/// <summary>
/// Runs a job's dry run or commit, in a scope whose workspace is the job's (see <see cref="ImportWorker"/>). Both read
/// the whole file twice: once to count its rows (and let a kind see every key first), then in batches of
/// <see cref="BatchSize"/> rows, each checked with one query for the batch's existing items. The commit applies each
/// batch, saves it and clears the change tracker, all inside one transaction: memory stays flat however long the file,
/// and any rejected row or failure rolls everything back.
/// </summary>
internal sealed partial class ImportRunner(
    WorkspaceDbContext db, IDatabaseEngine engine, WorkspaceContext workspace, AssetRecord record, AuditTrail audit, TimeProvider time,
    ILogger<ImportRunner> logger)
{
    public const int BatchSize = 2500;

    // Where a run's time went, for the log line an operator reads when an import is slow.
    private TimeSpan _checking;
    private TimeSpan _saving;

    private static readonly JsonSerializerOptions ErrorsJson = new(JsonSerializerDefaults.Web);

    /// <summary>The dry run: claims a queued job (a conditional update, so two hosts never check one file), checks every row, writes the result.</summary>
    public async Task CheckAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var claimed = await db.Set<ImportJob>()
            .Where(j => j.Id == jobId && j.Status == ImportStatus.Queued && j.Content != null)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Checking).SetProperty(j => j.ProcessedRows, 0).SetProperty(j => j.UpdatedAt, started), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var job = await Load(jobId).SingleAsync(cancellationToken);
        var progress = new ImportProgress(engine, workspace.Current.Location, jobId, ImportStatus.Checking, time, enabled: true);
        try
        {
            var format = ImportFile.Detect(job.Content!, job.Encoding, job.Delimiter);
            var tally = await RunAsync(job, format, AuditActorNone, apply: false, progress, cancellationToken);

            // A file with rejected rows can never be committed, so its bytes are not kept waiting for it.
            var keep = tally.Rejected == 0;
            await Finish(jobId, ImportStatus.Checking).ExecuteUpdateAsync(
                s =>
                {
                    s.SetProperty(j => j.Status, ImportStatus.Checked)
                        .SetProperty(j => j.Encoding, format.EncodingName)
                        .SetProperty(j => j.Delimiter, format.Delimiter.ToString())
                        .SetProperty(j => j.ProcessedRows, progress.Total)
                        .SetProperty(j => j.TotalRows, progress.Total)
                        .SetProperty(j => j.CreateCount, tally.Created)
                        .SetProperty(j => j.UpdateCount, tally.Updated)
                        .SetProperty(j => j.RejectCount, tally.Rejected)
                        .SetProperty(j => j.Errors, Errors(tally))
                        .SetProperty(j => j.Failure, (string?)null)
                        .SetProperty(j => j.UpdatedAt, time.GetUtcNow())
                        .SetProperty(j => j.CompletedAt, time.GetUtcNow());
                    if (!keep)
                    {
                        s.SetProperty(j => j.Content, (byte[]?)null);
                    }
                },
                cancellationToken);
        }
        catch (ImportFileRefusedException ex)
        {
            await FailAsync(jobId, ImportStatus.Checking, ex.Message);
        }
        catch (ImportAbandonedException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: the job waits in the queue again, and the next look at it starts it anew.
            await Finish(jobId, ImportStatus.Checking).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Queued), CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The commit, of a job the request already claimed (status Committing). Checks the file again, since the register
    /// may have changed since the dry run, and commits only if every row still passes.
    /// </summary>
    public async Task CommitAsync(Guid jobId, AuditActor actor, CancellationToken cancellationToken)
    {
        var job = await Load(jobId).SingleOrDefaultAsync(cancellationToken);
        if (job is not { Status: ImportStatus.Committing, Content: not null })
        {
            return;
        }

        // SQLite has one writer: a progress write from a second connection would wait on this very transaction.
        var progress = new ImportProgress(engine, workspace.Current.Location, jobId, ImportStatus.Committing, time, enabled: db.Database.IsNpgsql());
        try
        {
            var format = ImportFile.Detect(job.Content, job.Encoding, job.Delimiter);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var tally = await RunAsync(job, format, actor, apply: true, progress, cancellationToken);
            if (tally.Rejected > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                await Finish(jobId, ImportStatus.Committing).ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.Status, ImportStatus.Checked)
                        .SetProperty(j => j.CreateCount, tally.Created)
                        .SetProperty(j => j.UpdateCount, tally.Updated)
                        .SetProperty(j => j.RejectCount, tally.Rejected)
                        .SetProperty(j => j.Errors, Errors(tally))
                        .SetProperty(j => j.Failure, "Checked again at commit, some rows no longer pass (the register changed since the dry run). Nothing was imported.")
                        .SetProperty(j => j.Content, (byte[]?)null)
                        .SetProperty(j => j.UpdatedAt, time.GetUtcNow())
                        .SetProperty(j => j.CompletedAt, time.GetUtcNow()),
                    CancellationToken.None);
                return;
            }

            audit.AddChange(
                AuditEventType.ImportCommitted, "import", jobId.ToString(), changes: null,
                subject: Truncate($"{job.FileName} ({job.Kind.ToString().ToLowerInvariant()}): {tally.Created} created, {tally.Updated} updated"), actor: actor);
            await db.SaveChangesAsync(cancellationToken);

            // Inside the transaction and only over our own claim: a job taken over meanwhile (see ImportJobs) commits nothing.
            var finished = await Finish(jobId, ImportStatus.Committing).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, ImportStatus.Committed)
                    .SetProperty(j => j.ProcessedRows, progress.Total)
                    .SetProperty(j => j.CreateCount, tally.Created)
                    .SetProperty(j => j.UpdateCount, tally.Updated)
                    .SetProperty(j => j.RejectCount, 0)
                    .SetProperty(j => j.Errors, (string?)null)
                    .SetProperty(j => j.Failure, (string?)null)
                    .SetProperty(j => j.Content, (byte[]?)null)
                    .SetProperty(j => j.UpdatedAt, time.GetUtcNow())
                    .SetProperty(j => j.CompletedAt, time.GetUtcNow()),
                cancellationToken);
            if (finished == 0)
            {
                return;
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (ImportAbandonedException)
        {
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            await Finish(jobId, ImportStatus.Committing).ExecuteUpdateAsync(
                s => s.SetProperty(j => j.Status, ImportStatus.Checked)
                    .SetProperty(j => j.Failure, "The server stopped during the commit, and nothing was imported. Commit again."),
                CancellationToken.None);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            LogCommitFailed(ex, jobId);
            await FailAsync(jobId, ImportStatus.Committing, ex switch
            {
                ImportFileRefusedException refused => refused.Message,
                DbUpdateConcurrencyException => "An asset in the file was changed by someone else during the commit, so nothing was imported. Upload the file again.",
                DbUpdateException update when UniqueViolation.Is(update) =>
                    "Someone added an item with a tag, email or name of the file during the commit, so nothing was imported. Upload the file again to check it anew.",
                _ => "The commit failed and nothing was imported. Upload the file again; if it fails again, the server's log says why.",
            });
        }
    }

    private static readonly AuditActor AuditActorNone = new(null, null);

    private async Task<ImportTally> RunAsync(JobFile job, ImportFormat format, AuditActor actor, bool apply, ImportProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            return await RunBatchesAsync(job, format, actor, apply, progress, cancellationToken);
        }
        finally
        {
            // On the way out of a failure, a COPY still in flight must end before the transaction rolls back on its
            // connection; what it failed with matters less than what is already on its way up.
            await PendingCopy.DrainQuietlyAsync(db);
        }
    }

    private async Task<ImportTally> RunBatchesAsync(JobFile job, ImportFormat format, AuditActor actor, bool apply, ImportProgress progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var records = ImportFile.Records(job.Content!, format).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new ImportFileRefusedException("The file is empty: it needs a header row naming its columns, then a row per item.");
        }

        var custom = job.Kind == ImportKind.Assets ? await AssetRows.CustomFieldsAsync(db, cancellationToken) : [];
        var header = ImportHeader.Read(records.Current.Cells, job.Kind, ImportTemplates.Columns(job.Kind), custom);
        ImportRows rows = job.Kind switch
        {
            ImportKind.Assets => new AssetRows(db, record, header, actor, job.FileName, time),
            ImportKind.People => new PersonRows(db, audit, header, actor, time),
            _ => new ModelRows(db, audit, header, actor),
        };
        await rows.PrepareAsync(cancellationToken);

        var total = 0;
        foreach (var counted in ImportFile.Records(job.Content!, format).Skip(1))
        {
            total++;
            if (counted.Cells.Length == header.Count)
            {
                rows.Observe(new ImportRow(counted.Line, counted.Cells));
            }
        }

        if (total == 0)
        {
            throw new ImportFileRefusedException("The file has a header row but no rows under it.");
        }

        await progress.StartAsync(total, cancellationToken);
        var tally = new ImportTally();
        var batch = new List<ImportRow>(BatchSize);

        // On PostgreSQL, ImportSave writes what a batch added by COPY and detects the remaining changes itself, once
        // per batch, instead of EF scanning every tracked entity at each save. (The audit interceptor's own change to
        // the chain head needs automatic detection, so it is back on for every other save.)
        db.ChangeTracker.AutoDetectChangesEnabled = !(apply && db.Database.IsNpgsql());
        var read = 0;
        while (records.MoveNext())
        {
            var (line, cells) = records.Current;
            read++;
            if (cells.Length != header.Count)
            {
                tally.Reject(line, null, Ragged(cells.Length, header.Count));
            }
            else
            {
                batch.Add(new ImportRow(line, cells));
            }

            if (batch.Count == BatchSize)
            {
                await FlushAsync(rows, batch, tally, apply, cancellationToken);
                await progress.ReportAsync(read, cancellationToken);
            }
        }

        await FlushAsync(rows, batch, tally, apply, cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        if (apply && tally.Rejected == 0)
        {
            var finishing = time.GetTimestamp();
            await rows.FinishAsync(cancellationToken);
            await ImportSave.SaveAsync(db, rows.Added, cancellationToken);
            db.ChangeTracker.Clear();
            _saving += time.GetElapsedTime(finishing);
        }

        // The last COPY's failure (a unique index, say) is the run's failure.
        await PendingCopy.DrainAsync(db);

        await progress.ReportAsync(read, cancellationToken, force: true);
        LogRun(job.Kind, apply ? "commit" : "dry run", total, time.GetElapsedTime(started).TotalSeconds, _checking.TotalSeconds, _saving.TotalSeconds);
        return tally;
    }

    /// <summary>Checks a batch; while the commit has no rejected row, saves it and forgets its entities (the transaction keeps them).</summary>
    private async Task FlushAsync(ImportRows rows, List<ImportRow> batch, ImportTally tally, bool apply, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var applying = apply && tally.Rejected == 0;
        var started = time.GetTimestamp();
        await rows.CheckAsync(batch, tally, applying, cancellationToken);
        _checking += time.GetElapsedTime(started);
        if (applying && tally.Rejected == 0)
        {
            started = time.GetTimestamp();
            await ImportSave.SaveAsync(db, rows.Added, cancellationToken);
            _saving += time.GetElapsedTime(started);
        }

        db.ChangeTracker.Clear();
        rows.Added.Clear();
        batch.Clear();
    }

    private static string Ragged(int fields, int columns) => fields > columns
        ? $"This line has {fields} fields but the header has {columns}: a value holding the delimiter needs double quotes around it."
        : $"This line has {fields} fields but the header has {columns}: every row needs a field for every column, even an empty one.";

    private IQueryable<JobFile> Load(Guid jobId) =>
        db.Set<ImportJob>().AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new JobFile(j.Kind, j.Status, j.FileName, j.Content, j.Encoding, j.Delimiter));

    private IQueryable<ImportJob> Finish(Guid jobId, ImportStatus from) =>
        db.Set<ImportJob>().Where(j => j.Id == jobId && j.Status == from);

    private Task<int> FailAsync(Guid jobId, ImportStatus from, string reason) =>
        Finish(jobId, from).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.Status, ImportStatus.Failed)
                .SetProperty(j => j.Failure, Truncate(reason))
                .SetProperty(j => j.Content, (byte[]?)null)
                .SetProperty(j => j.UpdatedAt, time.GetUtcNow())
                .SetProperty(j => j.CompletedAt, time.GetUtcNow()),
            CancellationToken.None);

    private static string Errors(ImportTally tally) =>
        JsonSerializer.Serialize(tally.Errors.OrderBy(e => e.Line), ErrorsJson);

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    private sealed record JobFile(ImportKind Kind, ImportStatus Status, string FileName, byte[]? Content, string? Encoding, string? Delimiter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import of {Kind}, {Step}: {Rows} rows in {Seconds:0.00} s; checking {Checking:0.00} s, saving {Saving:0.00} s")]
    private partial void LogRun(ImportKind kind, string step, int rows, double seconds, double checking, double saving);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed to commit; nothing was imported")]
    private partial void LogCommitFailed(Exception ex, Guid jobId);
}

/// <summary>The job is gone or taken over (abandoned, or picked up by another host after this one stalled): stop quietly.</summary>
internal sealed class ImportAbandonedException : Exception;

/// <summary>
/// Writes a job's progress (and heartbeat) from a connection of its own, at most once a second, so that any web host
/// can show it while the run's own transaction is still open. A write that finds the job no longer in its state
/// means it was abandoned or taken over, and stops the run.
/// </summary>
internal sealed class ImportProgress(IDatabaseEngine engine, WorkspaceLocation location, Guid jobId, ImportStatus status, TimeProvider time, bool enabled)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private long _last;

    public int Total { get; private set; }

    public async Task StartAsync(int total, CancellationToken cancellationToken)
    {
        Total = total;
        await WriteAsync(0, cancellationToken);
    }

    public async Task ReportAsync(int processed, CancellationToken cancellationToken, bool force = false)
    {
        if (force || time.GetElapsedTime(_last) >= Interval)
        {
            await WriteAsync(processed, cancellationToken);
        }
    }

    private async Task WriteAsync(int processed, CancellationToken cancellationToken)
    {
        _last = time.GetTimestamp();
        if (!enabled)
        {
            return;
        }

        await using var db = engine.CreateWorkspaceContext(location);
        var total = Total;
        var written = await db.Set<ImportJob>().Where(j => j.Id == jobId && j.Status == status).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.ProcessedRows, processed).SetProperty(j => j.TotalRows, total).SetProperty(j => j.UpdatedAt, time.GetUtcNow()),
            cancellationToken);
        if (written == 0)
        {
            throw new ImportAbandonedException();
        }
    }
}
