using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Domains;
using OnTrackio.Encryption;
using OnTrackio.Invitations;
using OnTrackio.Tenancy;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Provisioning;

public sealed record CreateWorkspaceRequest(string? Name, string? Slug, string? Region, string? OwnerEmail);

/// <summary>What the operator needs after provisioning. <see cref="InvitationLink"/> exists only here: the database keeps its hash.</summary>
public sealed record CreatedWorkspace(Guid Id, string Slug, string Hostname, string ServerName, string DatabaseName, string InvitationLink);

/// <summary>
/// Provisions a workspace: its database copied from the server's migrated template, its owner's invitation inside
/// that database, then its catalog rows, verified platform domain and wrapped data key in one catalog transaction.
/// </summary>
/// <remarks>
/// The catalog is written last, so no catalog row ever points at a database that does not exist. If anything fails
/// after the database is created, the database is dropped before the error is reported: nothing is left half-made.
/// (A process killed between the two steps can leave an unreferenced <c>ws_…</c> database; it routes nowhere.)
/// </remarks>
public sealed partial class CreateWorkspace(
    IDatabaseEngine engine,
    CatalogDbContext catalog,
    WorkspaceKeys keys,
    WorkspaceDirectory directory,
    IOptions<TenancyOptions> tenancy,
    TimeProvider time,
    ILogger<CreateWorkspace> logger)
{
    public async Task<CreatedWorkspace> ExecuteAsync(CreateWorkspaceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = WorkspaceInput.DisplayName(request.Name);
        var slug = WorkspaceInput.Slug(request.Slug);
        var ownerEmail = WorkspaceInput.Email(request.OwnerEmail);
        var region = await ServerPlacement.RegionAsync(catalog, request.Region, cancellationToken);
        if (!HostName.TryNormalize($"{slug}.{tenancy.Value.PlatformDomain}", out var hostname))
        {
            throw new OperationRefusedException($"'{slug}.{tenancy.Value.PlatformDomain}' is not a valid hostname.");
        }

        await EnsureFreeAsync(slug, hostname, cancellationToken);
        var server = await ServerPlacement.ChooseAsync(catalog, region.Id, cancellationToken);
        if (!await engine.IsTemplateCurrentAsync(server, cancellationToken))
        {
            throw new OperationRefusedException(
                $"The template database on server '{server.Name}' is missing or not at the current schema. Run `ontrackio migrate` first.");
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var location = new WorkspaceLocation(id, server, DatabaseNames.ForWorkspace(id));
        await engine.CreateWorkspaceDatabaseAsync(location, cancellationToken);
        string token;
        try
        {
            token = await SeedAsync(location, ownerEmail, now, cancellationToken);
            await RegisterAsync(location, name, slug, region.Id, hostname, now, cancellationToken);
        }
        catch (Exception ex)
        {
            LogRollingBack(logger, slug, ex.GetType().Name);
            await engine.DropWorkspaceDatabaseAsync(location, CancellationToken.None);
            catalog.ChangeTracker.Clear();
            if (ex is DbUpdateException)
            {
                await EnsureFreeAsync(slug, hostname, CancellationToken.None);
            }

            throw;
        }

        directory.Invalidate();
        LogCreated(logger, slug, server.Name, location.DatabaseName);
        var link = tenancy.Value.LinkTo(hostname, $"/invitations/{token}");
        return new CreatedWorkspace(id, slug, hostname, server.Name, location.DatabaseName, link);
    }

    private async Task<string> SeedAsync(WorkspaceLocation location, string ownerEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = engine.CreateWorkspaceContext(location);
        db.Profile.Add(new WorkspaceProfile { WorkspaceId = location.WorkspaceId, CreatedAt = now });
        var token = IssueInvitation.Add(db, ownerEmail, IssueInvitation.OwnerRole, now);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    private async Task RegisterAsync(
        WorkspaceLocation location, string name, string slug, string regionId, string hostname, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await catalog.Database.BeginTransactionAsync(cancellationToken);
        catalog.Workspaces.Add(new Workspace
        {
            Id = location.WorkspaceId,
            Slug = slug,
            DisplayName = name,
            RegionId = regionId,
            ServerId = location.Server.Id,
            DatabaseName = location.DatabaseName,
            Status = WorkspaceStatus.Active,
            SchemaVersion = engine.CurrentWorkspaceSchemaVersion,
            CreatedAt = now,
            Domains =
            [
                new Domain
                {
                    Hostname = hostname,
                    WorkspaceId = location.WorkspaceId,
                    VerificationToken = DomainTokens.Create(),
                    VerifiedAt = now,
                    IsPrimary = true,
                    CreatedAt = now,
                },
            ],
        });
        catalog.WorkspaceKeys.Add(await keys.NewVersionAsync(location.WorkspaceId, 1, cancellationToken));
        await catalog.SaveChangesAsync(cancellationToken);
        await RoutingChanges.BumpAsync(catalog, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task EnsureFreeAsync(string slug, string hostname, CancellationToken cancellationToken)
    {
        if (await catalog.Workspaces.AnyAsync(w => w.Slug == slug, cancellationToken))
        {
            throw new OperationRefusedException($"The slug '{slug}' is already taken.");
        }

        if (await catalog.Domains.AnyAsync(d => d.Hostname == hostname, cancellationToken))
        {
            throw new OperationRefusedException($"The hostname '{hostname}' already belongs to a workspace.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {Slug} created on server {Server} as database {Database}")]
    private static partial void LogCreated(ILogger logger, string slug, string server, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning of workspace {Slug} failed ({Error}); dropping its database")]
    private static partial void LogRollingBack(ILogger logger, string slug, string error);
}
