using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OnTrackio.Storage;

/// <summary>Which kind of object store serves a region.</summary>
public enum ObjectStoreKind
{
    FileSystem,
    S3,
}

/// <summary>One store's settings: the default one (<c>OnTrackio:Storage</c>) or a region's (<c>OnTrackio:Storage:Regions:&lt;id&gt;</c>).</summary>
public class ObjectStoreOptions
{
    public ObjectStoreKind Kind { get; set; } = ObjectStoreKind.FileSystem;

    public FileSystemStoreOptions FileSystem { get; set; } = new();

    public S3StoreOptions S3 { get; set; } = new();
}

public sealed class FileSystemStoreOptions
{
    /// <summary>The folder that holds <c>workspaces/&lt;id&gt;/…</c>. Unset: <c>objects</c> in the embedded data folder.</summary>
    public string? Root { get; set; }
}

public sealed class S3StoreOptions
{
    public string? Bucket { get; set; }

    /// <summary>For an S3-compatible server; unset for AWS itself, where <see cref="Region"/> picks the endpoint.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The bucket's AWS region (e.g. <c>eu-central-1</c>); it is also the signing region of presigned URLs.</summary>
    public string Region { get; set; } = "eu-central-1";

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Unset (with <see cref="SecretAccessKey"/>): the SDK's default credential chain (environment, instance role…).</summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
}

/// <summary>
/// <c>OnTrackio:Storage</c>: the default store, per-region overrides, and the limits the signed URLs enforce. A region
/// with no entry under <see cref="Regions"/> uses the default store.
/// </summary>
public sealed class StorageOptions : ObjectStoreOptions
{
    public const string Section = "OnTrackio:Storage";

    /// <summary>The hard ceiling of a signed URL's lifetime, whatever the configuration says.</summary>
    public static readonly TimeSpan LifetimeCeiling = TimeSpan.FromHours(1);

    public Dictionary<string, ObjectStoreOptions> Regions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The largest object a signed PUT (or a store write) accepts; more is refused with 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxObjectBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a signed URL lives when its caller does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest lifetime a store signs or the web host accepts; at most <see cref="LifetimeCeiling"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxSignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks at start what data annotations cannot: each S3 store names a bucket, and the lifetimes agree.</summary>
internal sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SignedUrlLifetime > options.MaxSignedUrlLifetime)
        {
            failures.Add($"{StorageOptions.Section}:SignedUrlLifetime must not exceed MaxSignedUrlLifetime.");
        }

        Check(StorageOptions.Section, options, failures);
        foreach (var (region, store) in options.Regions)
        {
            Check($"{StorageOptions.Section}:Regions:{region}", store, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(string section, ObjectStoreOptions store, List<string> failures)
    {
        if (store.Kind != ObjectStoreKind.S3)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(store.S3.Bucket))
        {
            failures.Add($"{section}:S3:Bucket is required when {section}:Kind is S3.");
        }

        if (string.IsNullOrWhiteSpace(store.S3.Region))
        {
            failures.Add($"{section}:S3:Region is required when {section}:Kind is S3.");
        }

        if (string.IsNullOrEmpty(store.S3.AccessKeyId) != string.IsNullOrEmpty(store.S3.SecretAccessKey))
        {
            failures.Add($"{section}:S3:AccessKeyId and SecretAccessKey are set together or not at all.");
        }

        if (store.S3.ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"{section}:S3:ServiceUrl must be an absolute http(s) URL.");
        }
    }
}
