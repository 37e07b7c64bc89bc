using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OnTrackio.Databases;
using OnTrackio.Domains;
using OnTrackio.Encryption;
using OnTrackio.Provisioning;
using OnTrackio.Secrets;
using OnTrackio.Tenancy;
using OnTrackio.Upgrades;

namespace OnTrackio.Hosting;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>The platform shared by the web host and the CLI: engines, catalog, tenancy, provisioning, domains, upgrades.</summary>
    public static IServiceCollection AddOnTrackioPlatform(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SqliteEngineOptions>().BindConfiguration(DatabaseOptions.Section + ":Sqlite").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PostgresEngineOptions>().BindConfiguration(DatabaseOptions.Section + ":Postgres").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TenancyOptions>().BindConfiguration(TenancyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DomainVerificationOptions>().BindConfiguration(DomainVerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MigrationOptions>().BindConfiguration(MigrationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.Section);

        services.AddSingleton<IDatabaseEngine>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Engine switch
        {
            DatabaseEngineKind.Postgres => new PostgresEngine(
                sp.GetRequiredService<IOptions<PostgresEngineOptions>>(), sp.GetRequiredService<TimeProvider>()),
            _ => new SqliteEngine(sp.GetRequiredService<IOptions<SqliteEngineOptions>>()),
        });
        services.AddScoped(sp => sp.GetRequiredService<IDatabaseEngine>().CreateCatalogContext());

        // The workspace context exists only for a resolved workspace: asking for it anywhere else throws.
        services.AddScoped<WorkspaceContext>();
        services.AddScoped(sp => sp.GetRequiredService<IDatabaseEngine>()
            .CreateWorkspaceContext(sp.GetRequiredService<WorkspaceContext>().Current.Location));
        services.AddSingleton<WorkspaceDirectory>();

        services.AddScoped<CreateWorkspace>();
        services.AddScoped<DeleteWorkspace>();
        services.AddScoped<WorkspaceSummaries>();
        services.AddScoped<AddDatabaseServer>();
        services.AddScoped<AddDomain>();
        services.AddScoped<VerifyDomain>();
        services.AddScoped<RemoveDomain>();
        services.AddSingleton<DomainChallenges>();
        services.AddSingleton<DomainChallengeResponder>();
        services.AddScoped<MigrateEverything>();

        // Application-layer encryption: the master key never reaches a database; workspace keys are wrapped in the catalog.
        services.AddSingleton<IMasterKey, LocalMasterKeys>();
        services.AddSingleton<WorkspaceKeys>();
        services.AddSingleton<FieldProtector>();
        services.AddScoped<RotateKeys>();
        Audit.AuditServiceCollectionExtensions.AddAuditChain(services);
        services.AddScoped(sp => new WorkspaceSecrets(
            sp.GetRequiredService<WorkspaceData.WorkspaceDbContext>(),
            sp.GetRequiredService<WorkspaceContext>().Current.Id,
            sp.GetRequiredService<FieldProtector>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
