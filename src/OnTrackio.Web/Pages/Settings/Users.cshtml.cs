using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OnTrackio.Identity;

namespace OnTrackio.Web.Pages.Settings;

[Authorize(Policy = Permissions.UsersRead)]
public sealed class UsersModel(ListUsers list) : PageModel
{
    public IReadOnlyList<UserSummary> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Users = await list.ExecuteAsync(cancellationToken);
}
