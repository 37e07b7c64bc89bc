using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace OnTrackio.Web;

/// <summary>
/// A permission one page handler needs beyond the page's own <c>[Authorize]</c>: a page that everyone with
/// users.read may see can still keep its POST handlers to users.manage. Razor Pages authorize per page, not per
/// handler, hence this attribute and <see cref="HandlerPermissionFilter"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequiresPermissionAttribute(string permission) : Attribute
{
    public string Permission => permission;
}

/// <summary>Forbids a handler call (403, through the cookie scheme) unless the user holds every permission the handler names.</summary>
internal sealed class HandlerPermissionFilter(IAuthorizationService authorization) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        foreach (var required in context.HandlerMethod?.MethodInfo.GetCustomAttributes<RequiresPermissionAttribute>() ?? [])
        {
            if (!(await authorization.AuthorizeAsync(context.HttpContext.User, required.Permission)).Succeeded)
            {
                context.Result = new ForbidResult();
                return;
            }
        }

        await next();
    }
}
