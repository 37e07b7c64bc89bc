using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OnTrackio.Documents;

namespace OnTrackio.Web;

/// <summary>
/// Reads a <c>multipart/form-data</c> upload section by section (never <c>ReadFormAsync</c>, which would buffer the whole
/// file): the small fields before the file are collected, then the file's section is handed on as a stream. A form's
/// anti-forgery token must therefore come before its file input; it is checked before the file is read.
/// </summary>
internal static class StreamedUpload
{
    private const int MaxFieldLength = 4096;
    private const int MaxFields = 20;

    public static async Task<T> ReadAsync<T>(
        HttpContext http, bool checkAntiforgery, Func<IReadOnlyDictionary<string, string>, string?, Stream, Task<T>> onFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(onFile);

        // Kestrel's default limit is 30 MB; a document may be larger. The rules refuse an oversized file first, with a
        // clear message; this bound (the largest file plus room for the form's other parts) is the backstop.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            var documents = http.RequestServices.GetRequiredService<IOptions<DocumentOptions>>().Value;
            limit.MaxRequestBodySize = documents.MaxFileBytes + (1024 * 1024);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new OperationRefusedException("Send the file as multipart/form-data.");
        }

        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
            {
                continue;
            }

            if (disposition.IsFileDisposition())
            {
                if (checkAntiforgery)
                {
                    await CheckAntiforgeryAsync(http, fields);
                }

                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                return await onFile(fields, fileName, section.Body);
            }

            if (fields.Count >= MaxFields)
            {
                throw new OperationRefusedException("The form has too many fields.");
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            using var text = new StreamReader(section.Body);
            var buffer = new char[MaxFieldLength + 1];
            var read = await text.ReadBlockAsync(buffer, cancellationToken);
            if (read > MaxFieldLength)
            {
                throw new OperationRefusedException($"The form field '{name}' is too long.");
            }

            fields[name] = new string(buffer, 0, read);
        }

        throw new UploadRefusedException("Choose a file to upload.");
    }

    /// <summary>
    /// The form's token is handed to the framework's check as the request header it also reads, so the form itself is
    /// never read whole; a missing or wrong token fails as any other form's would.
    /// </summary>
    private static async Task CheckAntiforgeryAsync(HttpContext http, Dictionary<string, string> fields)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var header = http.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.HeaderName ?? "RequestVerificationToken";
        http.Request.Headers[header] = fields.TryGetValue("__RequestVerificationToken", out var token) && token.Length > 0
            ? token
            : throw new AntiforgeryValidationException("The form's anti-forgery token must come before its file.");
        await antiforgery.ValidateRequestAsync(http);
    }
}

/// <summary>
/// Keeps model binding away from the form of a page that streams an upload: binding would read (and buffer) the whole
/// form before the handler could stream it. Such a page reads its few small fields itself.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class DisableFormValueModelBindingAttribute : Attribute, IResourceFilter
{
    public void OnResourceExecuting(ResourceExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
        context.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
    }

    public void OnResourceExecuted(ResourceExecutedContext context)
    {
    }
}
