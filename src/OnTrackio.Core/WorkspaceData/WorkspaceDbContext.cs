using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Identity;
using OnTrackio.Invitations;

namespace OnTrackio.WorkspaceData;

/// <summary>
/// Everything one customer owns, in that customer's own database. Obtain it from DI inside a request whose host was
/// resolved; there is deliberately no way to construct it for "some" workspace without naming one.
/// </summary>
/// <remarks>One subclass per engine carries that engine's migrations; handlers use this base type.</remarks>
public abstract class WorkspaceDbContext(DbContextOptions options) : IdentityDbContext<WorkspaceUser, WorkspaceRole, Guid>(options)
{
    public DbSet<WorkspaceProfile> Profile => Set<WorkspaceProfile>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    /// <summary>The workspace database this context opened, when an engine opened it (not at design time).</summary>
    public Databases.WorkspaceLocation? Location { get; internal init; }

    /// <summary>
    /// Every workspace context, however it is built (web, CLI, migrator, tests), chains its audit entries and writes
    /// the webhook outbox rows they call for (in that order); shared interceptor instances keep EF's internal service
    /// provider shared across workspaces.
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        optionsBuilder.AddInterceptors(Audit.AuditChainInterceptor.Instance, Webhooks.WebhookOutboxInterceptor.Instance, Importing.PendingCopy.Instance);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Identity's tables, then passkeys (its schema version 3) configured here rather than chosen through the app's
        // IdentityOptions: workspace contexts are also built by the CLI and the migrator, and all must see one model.
        base.OnModelCreating(builder);
        ConfigureIdentity(builder);

        builder.Entity<WorkspaceProfile>(profile =>
        {
            profile.ToTable("workspace_profile");
            profile.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
            profile.Property(p => p.WorkspaceId).HasColumnName("workspace_id");
            profile.Property(p => p.CreatedAt).HasColumnName("created_at");
        });

        // Each feature folder configures its own entities (IEntityTypeConfiguration), so a feature's model lives with it.
        builder.ApplyConfigurationsFromAssembly(typeof(WorkspaceDbContext).Assembly);
    }

    /// <summary>Identity's tables, named like the rest of the workspace schema, with the fixed roles seeded.</summary>
    private static void ConfigureIdentity(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkspaceUser>(user =>
        {
            user.ToTable("users");
            user.Property(u => u.DisplayName).HasMaxLength(200);
        });
        modelBuilder.Entity<WorkspaceRole>(role =>
        {
            role.ToTable("roles");
            role.HasData(WorkspaceRoles.All.Select(r => new WorkspaceRole
            {
                Id = r.Id,
                Name = r.Name,
                NormalizedName = r.Name.ToUpperInvariant(),
                ConcurrencyStamp = r.Id.ToString(),
            }));
        });
        modelBuilder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        modelBuilder.Entity<IdentityUserPasskey<Guid>>(passkey =>
        {
            passkey.ToTable("user_passkeys");
            passkey.HasKey(p => p.CredentialId);
            passkey.Property(p => p.CredentialId).HasMaxLength(1024); // WebAuthn caps credential ids at 1,023 bytes.
            passkey.OwnsOne(p => p.Data, data => data.ToJson("data"));
            passkey.HasOne<WorkspaceUser>().WithMany().HasForeignKey(p => p.UserId).IsRequired().OnDelete(DeleteBehavior.Cascade);
            passkey.HasIndex(p => p.UserId);
        });

        // Identity names its columns in PascalCase; the workspace schema is snake_case throughout.
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.ClrType.Namespace?.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal) == true
            || e.ClrType == typeof(WorkspaceUser) || e.ClrType == typeof(WorkspaceRole)).Where(e => !e.IsOwned()))
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public sealed class PostgresWorkspaceDbContext(DbContextOptions<PostgresWorkspaceDbContext> options) : WorkspaceDbContext(options);

public sealed class SqliteWorkspaceDbContext(DbContextOptions<SqliteWorkspaceDbContext> options) : WorkspaceDbContext(options);
