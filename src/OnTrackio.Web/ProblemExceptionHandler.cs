using Microsoft.AspNetCore.Diagnostics;
using OnTrackio.Databases;

namespace OnTrackio.Web;

/// <summary>Turns the platform's expected failures into RFC 7807 problem details; anything else stays a 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            OperationRefusedException => (StatusCodes.Status400BadRequest, "Request refused"),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            ConflictException => (StatusCodes.Status409Conflict, "Conflict"),
            StaleVersionException => (StatusCodes.Status412PreconditionFailed, "Changed by someone else"),
            ConnectionBudgetExhaustedException => (StatusCodes.Status503ServiceUnavailable, "Busy"),
            Importing.FileTooLargeException => (StatusCodes.Status413PayloadTooLarge, "File too large"),

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

        return await problems.TryWriteAsync(new ProblemDetailsContext
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
        });
    }
}
