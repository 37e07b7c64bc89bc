using OnTrackio.Catalog;
using OnTrackio.Databases;
using OnTrackio.Tenancy;

namespace OnTrackio.Tests.Tenancy;

public sealed class WorkspaceContextTests
{
    [Fact]
    public void Current_OutsideAResolvedRequest_ThrowsRatherThanGuessing()
    {
        var context = new WorkspaceContext();

        var ex = Assert.Throws<InvalidOperationException>(() => context.Current);

        Assert.False(context.IsResolved);
        Assert.Contains("No workspace is resolved", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Twice_Throws()
    {
        var context = new WorkspaceContext();
        var server = new DatabaseServer { Id = Guid.NewGuid(), Name = "s", RegionId = "r", Host = "h", Port = 1, Username = "u" };
        var workspace = new ResolvedWorkspace(Guid.NewGuid(), "a", "A", "r", "a.localhost", "v", new WorkspaceLocation(Guid.NewGuid(), server, "ws_a"));
        context.Resolve(workspace);

        Assert.Throws<InvalidOperationException>(() => context.Resolve(workspace with { Slug = "b" }));
        Assert.Equal("a", context.Current.Slug);
    }
}
