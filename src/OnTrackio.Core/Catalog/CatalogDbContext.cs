using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace OnTrackio.Catalog;

/// <summary>
/// The shared metadata database: regions, servers, workspaces, domains and platform bookkeeping, nothing else.
/// Every column is on an allow-list checked by a test, because this is the one database all customers share.
/// </summary>
/// <remarks>One subclass per engine carries that engine's migrations; handlers use this base type.</remarks>
public abstract class CatalogDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public const string DefaultRegionId = "eu-central-1";

    public DbSet<Region> Regions => Set<Region>();

    public DbSet<DatabaseServer> DatabaseServers => Set<DatabaseServer>();

    public DbSet<Workspace> Workspaces => Set<Workspace>();

    public DbSet<Domain> Domains => Set<Domain>();

    public DbSet<ChangeCounter> ChangeCounters => Set<ChangeCounter>();

    public DbSet<WorkspaceKey> WorkspaceKeys => Set<WorkspaceKey>();

    /// <summary>The web hosts' shared Data Protection key ring, each key encrypted with the master key.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Region>(region =>
        {
            region.ToTable("regions");
            region.Property(r => r.Id).HasColumnName("id").HasMaxLength(32);
            region.Property(r => r.DisplayName).HasColumnName("display_name").HasMaxLength(100);
            region.HasData(new Region { Id = DefaultRegionId, DisplayName = "EU (Frankfurt)" });
        });

        modelBuilder.Entity<DatabaseServer>(server =>
        {
            server.ToTable("database_servers");
            server.Property(s => s.Id).HasColumnName("id");
            server.Property(s => s.Name).HasColumnName("name").HasMaxLength(63);
            server.HasIndex(s => s.Name).IsUnique();
            server.Property(s => s.RegionId).HasColumnName("region_id").HasMaxLength(32);
            server.HasOne<Region>().WithMany().HasForeignKey(s => s.RegionId).OnDelete(DeleteBehavior.Restrict);
            server.Property(s => s.Host).HasColumnName("host").HasMaxLength(253);
            server.Property(s => s.Port).HasColumnName("port");
            server.Property(s => s.Username).HasColumnName("username").HasMaxLength(63);
            server.Property(s => s.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<Workspace>(workspace =>
        {
            workspace.ToTable("workspaces");
            workspace.Property(w => w.Id).HasColumnName("id");
            workspace.Property(w => w.Slug).HasColumnName("slug").HasMaxLength(40);
            workspace.HasIndex(w => w.Slug).IsUnique();
            workspace.Property(w => w.DisplayName).HasColumnName("display_name").HasMaxLength(100);
            workspace.Property(w => w.RegionId).HasColumnName("region_id").HasMaxLength(32);
            workspace.HasOne<Region>().WithMany().HasForeignKey(w => w.RegionId).OnDelete(DeleteBehavior.Restrict);
            workspace.Property(w => w.ServerId).HasColumnName("server_id");
            workspace.HasOne<DatabaseServer>().WithMany().HasForeignKey(w => w.ServerId).OnDelete(DeleteBehavior.Restrict);
            workspace.Property(w => w.DatabaseName).HasColumnName("database_name").HasMaxLength(63);
            workspace.HasIndex(w => new { w.ServerId, w.DatabaseName }).IsUnique();
            workspace.Property(w => w.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
            workspace.Property(w => w.SchemaVersion).HasColumnName("schema_version").HasMaxLength(150);
            workspace.Property(w => w.CreatedAt).HasColumnName("created_at");
            workspace.HasMany(w => w.Domains).WithOne().HasForeignKey(d => d.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Domain>(domain =>
        {
            domain.ToTable("domains");
            domain.HasKey(d => d.Hostname);
            domain.Property(d => d.Hostname).HasColumnName("hostname").HasMaxLength(253);
            domain.Property(d => d.WorkspaceId).HasColumnName("workspace_id");
            domain.Property(d => d.VerificationToken).HasColumnName("verification_token").HasMaxLength(64);
            domain.Property(d => d.VerifiedAt).HasColumnName("verified_at");
            domain.Property(d => d.IsPrimary).HasColumnName("is_primary");
            domain.Property(d => d.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<WorkspaceKey>(key =>
        {
            key.ToTable("workspace_keys");
            key.HasKey(k => new { k.WorkspaceId, k.Version });
            key.Property(k => k.WorkspaceId).HasColumnName("workspace_id");
            key.Property(k => k.Version).HasColumnName("version");
            key.Property(k => k.MasterKeyId).HasColumnName("master_key_id").HasMaxLength(64);
            key.Property(k => k.WrappedKey).HasColumnName("wrapped_key").HasMaxLength(128);
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.Property(k => k.Id).HasColumnName("id");
            key.Property(k => k.FriendlyName).HasColumnName("friendly_name").HasMaxLength(100);
            key.Property(k => k.Xml).HasColumnName("xml");
        });

        modelBuilder.Entity<ChangeCounter>(counter =>
        {
            counter.ToTable("change_counters");
            counter.HasKey(c => c.Name);
            counter.Property(c => c.Name).HasColumnName("name").HasMaxLength(32);
            counter.Property(c => c.Value).HasColumnName("value");
            counter.HasData(new ChangeCounter { Name = ChangeCounter.Routing, Value = 0 });
        });
    }
}

public sealed class PostgresCatalogDbContext(DbContextOptions<PostgresCatalogDbContext> options) : CatalogDbContext(options);

public sealed class SqliteCatalogDbContext(DbContextOptions<SqliteCatalogDbContext> options) : CatalogDbContext(options);
