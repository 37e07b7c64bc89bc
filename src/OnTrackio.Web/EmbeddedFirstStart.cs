using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnTrackio.Databases;
using OnTrackio.Demo;
using OnTrackio.Provisioning;
using OnTrackio.Tenancy;
using OnTrackio.Upgrades;

namespace OnTrackio.Web;

/// <summary>
/// The embedded default prepares its own files at start (PostgreSQL hosts never migrate: <c>ontrackio migrate</c>
/// does), and on the very first start provisions a demo workspace and prints its owner's invitation link once.
/// </summary>
public static class EmbeddedFirstStart
{
    public const string DemoSlug = "demo";

    public static async Task PrepareAsync(IServiceProvider services, TextWriter console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(console);
        await using var scope = services.CreateAsyncScope();
        var engine = scope.ServiceProvider.GetRequiredService<IDatabaseEngine>();
        if (engine.Kind != DatabaseEngineKind.Sqlite)
        {
            return;
        }

        var report = await scope.ServiceProvider.GetRequiredService<MigrateEverything>().ExecuteAsync(verifyHistory: false, progress: null, cancellationToken);
        foreach (var failure in report.Failures)
        {
            await console.WriteLineAsync($"warning: {failure.Target} could not be migrated: {failure.Error}");
        }

        var catalog = scope.ServiceProvider.GetRequiredService<OnTrackio.Catalog.CatalogDbContext>();
        if (await catalog.Workspaces.AnyAsync(cancellationToken))
        {
            return;
        }

        var configuration = scope.ServiceProvider.GetRequiredService<IConfiguration>();
        var created = await scope.ServiceProvider.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest("Demo", DemoSlug, OnTrackio.Catalog.CatalogDbContext.DefaultRegionId, configuration["OnTrackio:Demo:OwnerEmail"] ?? "owner@example.com"),
            cancellationToken);
        var demo = await AddDemoRegisterAsync(scope.ServiceProvider, created.Hostname, cancellationToken);
        var tenancy = scope.ServiceProvider.GetRequiredService<IOptions<TenancyOptions>>().Value;
        var dataDirectory = scope.ServiceProvider.GetRequiredService<IOptions<SqliteEngineOptions>>().Value.ResolvedDataDirectory;

        // Written to the console, not the log: the link is a credential and logs are kept and shipped.
        await console.WriteLineAsync($"""

            OnTrackio: first start on the embedded default (data in {dataDirectory}).
            A demo workspace is ready at {tenancy.LinkTo(created.Hostname, "/")}
            with sample data: {demo.Assets} assets ({demo.CheckedOut} checked out), {demo.People} people, {demo.Models} models.
            Its owner's invitation link is shown this once (keep it private):
                {created.InvitationLink}

            """);
    }

    /// <summary>
    /// Sample data for the demo workspace just provisioned above (never for any other: this runs only when the catalog
    /// had no workspace at all, and <see cref="DemoRegister"/> refuses a database that has a register already).
    /// </summary>
    private static async Task<DemoSummary> AddDemoRegisterAsync(IServiceProvider services, string hostname, CancellationToken cancellationToken)
    {
        var directory = services.GetRequiredService<WorkspaceDirectory>();
        var workspace = await directory.FindAsync(hostname, cancellationToken)
            ?? throw new InvalidOperationException($"The demo workspace at {hostname} was created but does not resolve.");
        await using var db = services.GetRequiredService<IDatabaseEngine>().CreateWorkspaceContext(workspace.Location);
        return await DemoRegister.AddAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken);
    }
}
