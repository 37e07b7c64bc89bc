using Microsoft.AspNetCore.Identity;

namespace OnTrackio.Identity;

/// <summary>A sign-in account of one workspace, stored in that workspace's database and nowhere else.</summary>
public sealed class WorkspaceUser : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class WorkspaceRole : IdentityRole<Guid>;
