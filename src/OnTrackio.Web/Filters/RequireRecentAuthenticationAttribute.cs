using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using OnTrackio.Identity;

namespace OnTrackio.Web.Filters;

/// <summary>
/// On a page that changes how someone signs in (second factors, passkeys), sends a session whose last proof of
/// identity is older than <see cref="RecentAuthentication.Window"/> to re-authenticate first, then back here.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequireRecentAuthenticationAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        if (http.User.Identity?.IsAuthenticated == true && !RecentAuthentication.IsRecent(http.User, time.GetUtcNow()))
        {
            // Back to the same page afterwards, by GET: a form posted before the proof is not replayed after it.
            var returnUrl = http.Request.PathBase + http.Request.Path
                + (HttpMethods.IsGet(http.Request.Method) ? http.Request.QueryString : QueryString.Empty);
            context.Result = new RedirectResult($"{RecentAuthentication.ReauthenticatePath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
            return;
        }

        await next();
    }
}
