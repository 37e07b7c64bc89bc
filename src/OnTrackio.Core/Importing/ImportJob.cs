using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OnTrackio.Importing;

/// <summary>What an import file holds rows of.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ImportKind>))]
public enum ImportKind
{
    Assets,
    People,
    Models,
}

/// <summary>Where an import stands. A file is checked in full (the dry run) before it can be committed, and commits whole or not at all.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ImportStatus>))]
public enum ImportStatus
{
    Queued,
    Checking,
    Checked,
    Committing,
    Committed,
    Failed,
}

/// <summary>
/// One uploaded CSV file and what became of it. The file is kept in the workspace's own database (never on a shared
/// disk) between the dry run and the commit, and dropped once committed or abandoned. Progress is written as the rows
/// are read, so any web host can report it.
/// </summary>
public sealed class ImportJob
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public ImportKind Kind { get; init; }

    public ImportStatus Status { get; set; }

    public required string FileName { get; init; }

    public long FileSize { get; init; }

    /// <summary>The bytes as uploaded; null once the job is committed or expired.</summary>
    public byte[]? Content { get; set; }

    /// <summary>The encoding and delimiter the file was read with, detected or chosen ("utf-8", ",").</summary>
    public string? Encoding { get; set; }

    public string? Delimiter { get; set; }

    public int TotalRows { get; set; }

    public int ProcessedRows { get; set; }

    public int CreateCount { get; set; }

    public int UpdateCount { get; set; }

    public int RejectCount { get; set; }

    /// <summary>The rejected rows as JSON: line number, key and reasons (the first ones, capped).</summary>
    public string? Errors { get; set; }

    /// <summary>Why the whole file was refused (unreadable, no header), when it was.</summary>
    public string? Failure { get; set; }

    public Guid? CreatedByUserId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.ToTable("import_jobs");
        builder.Property(j => j.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(j => j.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.FileName).HasColumnName("file_name").HasMaxLength(255);
        builder.Property(j => j.FileSize).HasColumnName("file_size");
        builder.Property(j => j.Content).HasColumnName("content");
        builder.Property(j => j.Encoding).HasColumnName("encoding").HasMaxLength(32);
        builder.Property(j => j.Delimiter).HasColumnName("delimiter").HasMaxLength(4);
        builder.Property(j => j.TotalRows).HasColumnName("total_rows");
        builder.Property(j => j.ProcessedRows).HasColumnName("processed_rows");
        builder.Property(j => j.CreateCount).HasColumnName("create_count");
        builder.Property(j => j.UpdateCount).HasColumnName("update_count");
        builder.Property(j => j.RejectCount).HasColumnName("reject_count");
        builder.Property(j => j.Errors).HasColumnName("errors");
        builder.Property(j => j.Failure).HasColumnName("failure").HasMaxLength(1000);
        builder.Property(j => j.CreatedByUserId).HasColumnName("created_by_user_id");
        builder.Property(j => j.CreatedAt).HasColumnName("created_at");
        builder.Property(j => j.UpdatedAt).HasColumnName("updated_at");
        builder.Property(j => j.CompletedAt).HasColumnName("completed_at");
        builder.HasIndex(j => j.CreatedAt);
        builder.HasIndex(j => j.Status);
    }
}
