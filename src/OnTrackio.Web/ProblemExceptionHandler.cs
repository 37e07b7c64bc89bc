using Microsoft.AspNetCore.Diagnostics;
using OnTrackio.Assets;
using OnTrackio.Databases;

namespace OnTrackio.Web;

/// <summary>Turns the platform's expected failures into RFC 7807 problem details; anything else stays a 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            OperationRefusedException => (StatusCodes.Status400BadRequest, "Request refused"),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ConflictException => (StatusCodes.Status409Conflict, "Conflict"),
            StaleVersionException => (StatusCodes.Status412PreconditionFailed, "Changed by someone else"),
            BulkRefusedException bulk => (bulk.NamesUnknownAssets ? StatusCodes.Status400BadRequest : StatusCodes.Status409Conflict, "Some assets cannot take this change"),
            ConnectionBudgetExhaustedException => (StatusCodes.Status503ServiceUnavailable, "Busy"),
            Importing.FileTooLargeException => (StatusCodes.Status413PayloadTooLarge, "File too large"),
            Documents.UploadRefusedException { TooLarge: true } => (StatusCodes.Status413PayloadTooLarge, "File too large"),
            Documents.UploadRefusedException => (StatusCodes.Status422UnprocessableEntity, "Upload refused"),

            // A body over the request's limit (an upload) or unreadable: Kestrel's own status, with a readable problem.
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "Request too large"),
            _ => (0, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        var problem = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = exception is BadHttpRequestException
                    ? $"The request is larger than this endpoint takes (an import file may be at most {Importing.ImportLimits.MaxFileBytes / (1024 * 1024)} MB)."
                    : exception.Message,
            },
        };
        if (exception is BulkRefusedException refused)
        {
            // Every failing asset with its reason, so a client can show them all and fix the selection in one go.
            problem.ProblemDetails.Extensions["errors"] = refused.Failures;
        }

        return await problems.TryWriteAsync(problem);
    }
}
