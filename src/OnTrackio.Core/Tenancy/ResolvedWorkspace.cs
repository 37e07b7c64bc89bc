using OnTrackio.Databases;

namespace OnTrackio.Tenancy;

/// <summary>The workspace a request's verified hostname points to, as the catalog recorded it.</summary>
public sealed record ResolvedWorkspace(
    Guid Id,
    string Slug,
    string DisplayName,
    string RegionId,
    string Hostname,
    string SchemaVersion,
    WorkspaceLocation Location);
