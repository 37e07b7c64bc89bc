using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace OnTrackio.Web;

/// <summary>
/// A page handler whose operation refused (an id this workspace does not have, a conflict) answers with that status
/// and the status-code page explains it, where the API would answer a problem document. Handlers that show a refusal
/// inline on their form catch it themselves; this is for the ones that cannot continue.
/// </summary>
internal sealed class PageErrorFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        int? status = executed.Exception switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            ConflictException => StatusCodes.Status409Conflict,
            StaleVersionException => StatusCodes.Status412PreconditionFailed,
            OperationRefusedException => StatusCodes.Status400BadRequest,
            _ => null,
        };
        if (status is not null && !executed.ExceptionHandled)
        {
            executed.Result = new StatusCodeResult(status.Value);
            executed.ExceptionHandled = true;
        }
    }
}
