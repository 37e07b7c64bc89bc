using Amazon.S3;
using Amazon.S3.Model;

namespace OnTrackio.Tests.Infrastructure;

/// <summary>
/// The S3-compatible server (s3rver) that scripts/test starts on loopback (<c>ONTRACKIO_TEST_S3_URL</c>). It checks the
/// access key and the expiry of SigV4 requests, not their signatures, and keeps no SSE; each test makes its own bucket.
/// </summary>
public static class TestS3Server
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string Region = "us-east-1";

    public static Uri Url => new(Environment.GetEnvironmentVariable("ONTRACKIO_TEST_S3_URL")
        ?? throw new InvalidOperationException("ONTRACKIO_TEST_S3_URL is not set: run the tests with scripts/test, which starts the S3 test server (s3rver)."));

    public static AmazonS3Client Client() => new(AccessKey, SecretKey, new AmazonS3Config
    {
        ServiceURL = Url.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = Region,
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public static async Task<string> CreateBucketAsync()
    {
        var bucket = $"ontrackio-{Guid.NewGuid():N}"[..30];
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    /// <summary>Points a store section (<c>OnTrackio:Storage</c> or a region's) at the test server's <paramref name="bucket"/>.</summary>
    public static void Configure(Dictionary<string, string?> configuration, string bucket, string section = "OnTrackio:Storage")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration[$"{section}:Kind"] = "S3";
        configuration[$"{section}:S3:Bucket"] = bucket;
        configuration[$"{section}:S3:ServiceUrl"] = Url.ToString();
        configuration[$"{section}:S3:Region"] = Region;
        configuration[$"{section}:S3:ForcePathStyle"] = "true";
        configuration[$"{section}:S3:AccessKeyId"] = AccessKey;
        configuration[$"{section}:S3:SecretAccessKey"] = SecretKey;
    }
}
