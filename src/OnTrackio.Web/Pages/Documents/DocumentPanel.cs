using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using OnTrackio.Documents;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Documents;

/// <summary>What the documents panel of an asset, model or supplier page shows, and which of its actions this user may take.</summary>
public sealed record DocumentPanel(DocumentTarget Target, IReadOnlyList<DocumentView> Documents, bool CanManage, bool CanAdminister, bool ShowingDeleted)
{
    public static async Task<DocumentPanel?> LoadAsync(
        DocumentQueries queries, IAuthorizationService authorization, ClaimsPrincipal user, DocumentTarget target, bool showDeleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(authorization);
        if (!(await authorization.AuthorizeAsync(user, Permissions.DocumentsRead)).Succeeded)
        {
            return null;
        }

        var canManage = (await authorization.AuthorizeAsync(user, Permissions.DocumentsManage)).Succeeded;
        var canAdminister = (await authorization.AuthorizeAsync(user, Permissions.DocumentsAdminister)).Succeeded;
        var documents = await queries.ListAsync(target, showDeleted && canAdminister, cancellationToken);
        return new DocumentPanel(target, documents, canManage, canAdminister, showDeleted && canAdminister);
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB",
        _ => (bytes / (1024d * 1024d)).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
    };
}
