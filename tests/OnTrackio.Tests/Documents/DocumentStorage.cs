using Amazon.S3.Model;
using OnTrackio.Catalog;
using OnTrackio.Storage;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

/// <summary>
/// The store a document test runs on, and what it holds, as keys. The filesystem store is the platform's default; for
/// S3 the workspaces' region (not the default store) is given to the S3 store on the loopback S3 server, in a bucket of
/// the test's own, so it is the per-region choice that sends the documents there.
/// </summary>
internal sealed class DocumentStorage
{
    private readonly string? _bucket;

    private DocumentStorage(string? bucket) => _bucket = bucket;

    public static async Task<DocumentStorage> CreateAsync(ObjectStoreKind kind) =>
        new(kind == ObjectStoreKind.S3 ? await TestS3Server.CreateBucketAsync() : null);

    /// <summary>The platform configuration that puts the workspaces' region on this store.</summary>
    public void Configure(Dictionary<string, string?> configuration)
    {
        if (_bucket is not null)
        {
            TestS3Server.Configure(configuration, _bucket, $"{StorageOptions.Section}:Regions:{CatalogDbContext.DefaultRegionId}");
        }
    }

    /// <summary>
    /// That <paramref name="url"/> was signed by this store for the workspace: the web host's, on the workspace's own
    /// host; or the S3 server's, for a key under the workspace's prefix in this test's bucket.
    /// </summary>
    public void AssertSignedFor(Uri url, string workspaceHost, Guid workspaceId)
    {
        if (_bucket is null)
        {
            Assert.Equal(workspaceHost, url.Host);
            Assert.StartsWith(SignedObjectUrls.PathPrefix, url.AbsolutePath, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(TestS3Server.Url.Authority, url.Authority);
            Assert.StartsWith($"/{_bucket}/{ObjectKey.Root}/{workspaceId:D}/", url.AbsolutePath, StringComparison.Ordinal);
        }
    }

    /// <summary>The key of every object stored under <paramref name="prefix"/> (a filesystem store's partial writes included), in order.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(TestPlatform platform, string prefix = ObjectKey.Root + "/")
    {
        var keys = new List<string>();
        if (_bucket is null)
        {
            var root = FileSystemRoot(platform);
            var directory = Path.Combine(root, prefix);
            if (Directory.Exists(directory))
            {
                keys.AddRange(Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')));
            }
        }
        else
        {
            using var client = TestS3Server.Client();
            await foreach (var stored in client.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix })
                .S3Objects.WithCancellation(TestContext.Current.CancellationToken))
            {
                keys.Add(stored.Key);
            }
        }

        return [.. keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The file in which the filesystem store keeps <paramref name="key"/>.</summary>
    public static string FileOf(TestPlatform platform, string key) => Path.Combine(FileSystemRoot(platform), key);

    private static string FileSystemRoot(TestPlatform platform) =>
        platform.Configuration["OnTrackio:Storage:FileSystem:Root"] ?? Path.Combine(platform.SqliteDirectory!, "objects");
}
