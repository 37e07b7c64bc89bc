using Microsoft.EntityFrameworkCore;
using OnTrackio.Invitations;

namespace OnTrackio.WorkspaceData;

/// <summary>
/// Everything one customer owns, in that customer's own database. Obtain it from DI inside a request whose host was
/// resolved; there is deliberately no way to construct it for "some" workspace without naming one.
/// </summary>
/// <remarks>One subclass per engine carries that engine's migrations; handlers use this base type.</remarks>
public abstract class WorkspaceDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkspaceProfile> Profile => Set<WorkspaceProfile>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<WorkspaceProfile>(profile =>
        {
            profile.ToTable("workspace_profile");
            profile.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
            profile.Property(p => p.WorkspaceId).HasColumnName("workspace_id");
            profile.Property(p => p.CreatedAt).HasColumnName("created_at");
        });

        // Each feature folder configures its own entities (IEntityTypeConfiguration), so a feature's model lives with it.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkspaceDbContext).Assembly);
    }
}

public sealed class PostgresWorkspaceDbContext(DbContextOptions<PostgresWorkspaceDbContext> options) : WorkspaceDbContext(options);

public sealed class SqliteWorkspaceDbContext(DbContextOptions<SqliteWorkspaceDbContext> options) : WorkspaceDbContext(options);
