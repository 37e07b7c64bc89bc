using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace OnTrackio.Storage;

/// <summary>
/// Objects in an S3 bucket (AWS, or an S3-compatible server through <see cref="S3StoreOptions.ServiceUrl"/>). Every
/// write asks for SSE-S3 (AES-256), multipart uploads included. Streams of any length are uploaded in parts of
/// <see cref="PartSize"/>, so at most one part is in memory.
/// </summary>
/// <remarks>
/// Bodies are sent whole with their SHA-256 in the signature rather than as aws-chunked streams, which several
/// S3-compatible servers (s3rver among them) store undecoded; each body is an in-memory part anyway.
/// Presigned PUT URLs sign the <c>x-amz-server-side-encryption: AES256</c> header (<see cref="SignedUrlHeaders"/>),
/// which the client must send. Presigned GET URLs carry response-header overrides for Content-Disposition (attachment),
/// Cache-Control and Content-Type; S3 cannot be asked to send Referrer-Policy.
/// </remarks>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    public const int PartSize = 8 * 1024 * 1024;
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly long _maxObjectBytes;
    private readonly TimeSpan _maxLifetime;
    private readonly TimeProvider _time;
    private readonly Protocol _protocol;

    public S3ObjectStore(S3StoreOptions options, long maxObjectBytes, TimeSpan maxSignedUrlLifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _bucket = options.Bucket ?? throw new ArgumentException("An S3 store needs a bucket.", nameof(options));
        _maxObjectBytes = maxObjectBytes;
        _maxLifetime = maxSignedUrlLifetime;
        _time = time;
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (options.ServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl.ToString();
            config.AuthenticationRegion = options.Region;

            // S3-compatible servers do not all understand the trailing checksums the SDK adds by default.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
            _protocol = serviceUrl.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            _protocol = Protocol.HTTPS;
        }

        _client = options.AccessKeyId is { Length: > 0 } accessKey
            ? new AmazonS3Client(new BasicAWSCredentials(accessKey, options.SecretAccessKey), config)
            : new AmazonS3Client(config);
    }

    public string Bucket => _bucket;

    public async Task<StoredObject> PutAsync(ObjectKey key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var part = new byte[PartSize];
        var read = await content.ReadAtLeastAsync(part, PartSize, throwOnEndOfStream: false, cancellationToken);
        CheckSize(read);
        if (read < PartSize)
        {
            using var body = new MemoryStream(part, 0, read, writable: false);
            await _client.PutObjectAsync(
                new PutObjectRequest
                {
                    BucketName = _bucket,
                    Key = key.Value,
                    InputStream = body,
                    ContentType = contentType,
                    ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
                    AutoCloseStream = false,
                    UseChunkEncoding = false,
                },
                cancellationToken);
            return new StoredObject(key, read, _time.GetUtcNow());
        }

        return await PutInPartsAsync(key, content, contentType, part, cancellationToken);
    }

    public async Task<Stream> OpenReadAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, key.Value, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException("The document's content was not found.");
        }
    }

    public async Task<StoredObject?> FindAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(_bucket, key.Value, cancellationToken);
            var written = metadata.LastModified is { } modified ? new DateTimeOffset(DateTime.SpecifyKind(modified, DateTimeKind.Utc)) : _time.GetUtcNow();
            return new StoredObject(key, metadata.ContentLength, written);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The server-side encryption S3 reports for a stored object (for tests and operators' checks).</summary>
    public async Task<string?> EncryptionOfAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var metadata = await _client.GetObjectMetadataAsync(_bucket, key.Value, cancellationToken);
        return metadata.ServerSideEncryptionMethod?.Value;
    }

    public Task DeleteAsync(ObjectKey key, CancellationToken cancellationToken) =>
        _client.DeleteObjectAsync(_bucket, key.Value, cancellationToken);

    public async Task<Uri> SignUrlAsync(SignedUrlRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SignedObjectUrls.CheckExpiry(request.ExpiresAt, _time.GetUtcNow(), _maxLifetime);
        var presign = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = request.Key.Value,
            Expires = request.ExpiresAt.UtcDateTime,
            Protocol = _protocol,
        };
        if (request.Method == SignedMethod.Put)
        {
            presign.Verb = HttpVerb.PUT;
            presign.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256;
        }
        else
        {
            presign.Verb = HttpVerb.GET;
            presign.ResponseHeaderOverrides.ContentDisposition = AttachmentDisposition.For(request.DownloadName);
            presign.ResponseHeaderOverrides.CacheControl = "private, no-store";
            presign.ResponseHeaderOverrides.ContentType = request.ContentType ?? "application/octet-stream";
        }

        return new Uri(await _client.GetPreSignedURLAsync(presign));
    }

    public void Dispose() => _client.Dispose();

    private async Task<StoredObject> PutInPartsAsync(ObjectKey key, Stream content, string contentType, byte[] part, CancellationToken cancellationToken)
    {
        var upload = await _client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key.Value,
                ContentType = contentType,
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            },
            cancellationToken);
        try
        {
            var etags = new List<PartETag>();
            long total = 0;
            var read = PartSize;
            for (var number = 1; read > 0; number++)
            {
                if (number > 1)
                {
                    read = await content.ReadAtLeastAsync(part, PartSize, throwOnEndOfStream: false, cancellationToken);
                    CheckSize(total + read);
                    if (read == 0)
                    {
                        break;
                    }
                }

                using var body = new MemoryStream(part, 0, read, writable: false);
                var uploaded = await _client.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = _bucket,
                        Key = key.Value,
                        UploadId = upload.UploadId,
                        PartNumber = number,
                        PartSize = read,
                        InputStream = body,
                        UseChunkEncoding = false,
                    },
                    cancellationToken);
                etags.Add(new PartETag(number, uploaded.ETag));
                total += read;
            }

            await _client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key.Value, UploadId = upload.UploadId, PartETags = etags },
                cancellationToken);
            return new StoredObject(key, total, _time.GetUtcNow());
        }
        catch
        {
            // Parts of an abandoned upload are billed and invisible; abort it whatever went wrong (not cancellable), and
            // report the original failure rather than the abort's.
            try
            {
                await _client.AbortMultipartUploadAsync(
                    new AbortMultipartUploadRequest { BucketName = _bucket, Key = key.Value, UploadId = upload.UploadId }, CancellationToken.None);
            }
            catch (AmazonServiceException)
            {
                // A bucket lifecycle rule for incomplete multipart uploads is the backstop (README).
            }

            throw;
        }
    }

    private void CheckSize(long total)
    {
        if (total > _maxObjectBytes)
        {
            throw new ObjectTooLargeException(_maxObjectBytes);
        }
    }
}
