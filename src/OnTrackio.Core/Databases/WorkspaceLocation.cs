using OnTrackio.Catalog;

namespace OnTrackio.Databases;

/// <summary>Where one workspace's database lives: enough to open it, taken from the catalog and nowhere else.</summary>
public sealed record WorkspaceLocation(Guid WorkspaceId, DatabaseServer Server, string DatabaseName)
{
    public static WorkspaceLocation Of(Workspace workspace, DatabaseServer server)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return new WorkspaceLocation(workspace.Id, server, workspace.DatabaseName);
    }
}
