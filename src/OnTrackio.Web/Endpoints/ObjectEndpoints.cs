using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OnTrackio.Identity.Mfa;
using OnTrackio.Storage;
using OnTrackio.Tenancy;

namespace OnTrackio.Web.Endpoints;

/// <summary>
/// <c>GET</c>/<c>HEAD</c>/<c>PUT</c> <c>/objects/{name}</c>: the filesystem store's signed URLs, on the workspace's own
/// host. The signature is the authorisation (no session, so links work from a download manager and uploads from a
/// script), checked against this host's workspace: a URL minted for another workspace or another key is refused.
/// Every refusal is a bare 403 that does not say which part failed. A region on S3 answers 404: its URLs go to S3.
/// </summary>
internal static class ObjectEndpoints
{
    private static readonly HashSet<string> QueryNames = ["m", "exp", "dn", "ct", "sig"];

    public static void MapObjectEndpoints(this WebApplication app)
    {
        app.MapMethods(SignedObjectUrls.PathPrefix + "{**name}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put], ServeAsync)
            .AllowAnonymous()
            .WithMetadata(new AllowWithoutMfaEnrolmentAttribute())
            .DisableAntiforgery()
            .ExcludeFromDescription();
    }

    private static async Task ServeAsync(
        HttpContext context,
        WorkspaceContext workspace,
        ObjectStores stores,
        SignedObjectUrls urls,
        IOptions<StorageOptions> options,
        CancellationToken cancellationToken)
    {
        // Machine-read answers: no error page is rendered in place of a bare status.
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        var current = workspace.Current;
        if (stores.ForRegion(current.RegionId) is not FileSystemObjectStore store)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var method = HttpMethods.IsPut(context.Request.Method) ? SignedMethod.Put : SignedMethod.Get;
        if (!TryRead(context, current, method, out var signed) || !await urls.VerifyAsync(signed, cancellationToken))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (method == SignedMethod.Put)
        {
            await PutAsync(context, store, signed, options.Value.MaxObjectBytes, cancellationToken);
        }
        else
        {
            await GetAsync(context, store, signed, cancellationToken);
        }
    }

    private static async Task GetAsync(HttpContext context, FileSystemObjectStore store, SignedObjectRequest signed, CancellationToken cancellationToken)
    {
        Stream content;
        try
        {
            content = await store.OpenReadAsync(signed.Key, cancellationToken);
        }
        catch (NotFoundException)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using (content)
        {
            var response = context.Response;
            response.ContentType = signed.ContentType ?? "application/octet-stream";
            response.ContentLength = content.Length;
            response.Headers.ContentDisposition = AttachmentDisposition.For(signed.DownloadName);
            response.Headers.CacheControl = "private, no-store";
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.XContentTypeOptions = "nosniff";
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await content.CopyToAsync(response.Body, 64 * 1024, cancellationToken);
            }
        }
    }

    private static async Task PutAsync(HttpContext context, FileSystemObjectStore store, SignedObjectRequest signed, long maxBytes, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        // Kestrel's default body limit (30 MB) is below ours; the store counts what it reads against the same limit,
        // which also covers bodies without a Content-Length.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        try
        {
            await store.PutAsync(signed.Key, context.Request.Body, signed.ContentType ?? "application/octet-stream", cancellationToken);
        }
        catch (ObjectTooLargeException)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        catch (BadHttpRequestException e)
        {
            // A body over Kestrel's limit, or one cut short: the store kept nothing of it.
            context.Response.StatusCode = e.StatusCode;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    /// <summary>
    /// Reads the URL from the raw request target, not the decoded path: the signer never percent-encodes a name (its
    /// alphabet needs none), so any <c>%</c>, backslash, empty or dot segment is not a URL it made.
    /// </summary>
    private static bool TryRead(HttpContext context, ResolvedWorkspace workspace, SignedMethod method, out SignedObjectRequest signed)
    {
        signed = null!;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? target : target[..queryStart];
        if (!path.StartsWith(SignedObjectUrls.PathPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var name = path[SignedObjectUrls.PathPrefix.Length..];
        if (name.Contains('%', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || name.Contains("//", StringComparison.Ordinal) || !ObjectKey.IsValidName(name))
        {
            return false;
        }

        var query = context.Request.Query;
        if (query.Any(p => !QueryNames.Contains(p.Key) || p.Value.Count != 1))
        {
            return false;
        }

        if (query["m"] != SignedObjectUrls.MethodName(method)
            || !long.TryParse(query["exp"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || query["sig"].ToString() is not { Length: > 0 } signature)
        {
            return false;
        }

        signed = new SignedObjectRequest(
            method,
            workspace.Hostname,
            ObjectKey.For(workspace, name),
            expires,
            query.TryGetValue("dn", out var downloadName) ? downloadName.ToString() : null,
            query.TryGetValue("ct", out var contentType) ? contentType.ToString() : null,
            signature);
        return true;
    }
}
