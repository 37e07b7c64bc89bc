using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Documents;
using OnTrackio.Identity;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Web.Pages.Documents;

/// <summary>The documents of a model or a supplier (assets show theirs on their own page), reached from reference data.</summary>
[Authorize(Policy = Permissions.DocumentsRead)]
public sealed class DocumentsIndexModel(WorkspaceDbContext db, DocumentQueries queries, IAuthorizationService authorization) : PageModel
{
    public string Title { get; private set; } = string.Empty;

    public DocumentPanel Panel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? target, bool deleted, CancellationToken cancellationToken)
    {
        if (!DocumentTarget.TryParse(target, out var parsed))
        {
            return NotFound();
        }

        if (parsed.Kind == DocumentTargetKind.Asset)
        {
            return Redirect(parsed.PagePath);
        }

        var name = parsed.Kind switch
        {
            DocumentTargetKind.Model => await db.Set<AssetModel>().Where(m => m.Id == parsed.Id).Select(m => m.Name).SingleOrDefaultAsync(cancellationToken),
            DocumentTargetKind.Supplier => await db.Set<Supplier>().Where(s => s.Id == parsed.Id).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken),
            _ => null,
        };
        if (name is null)
        {
            return NotFound();
        }

        Title = $"{(parsed.Kind == DocumentTargetKind.Model ? "Model" : "Supplier")} {name}";
        Panel = (await DocumentPanel.LoadAsync(queries, authorization, User, parsed, deleted, cancellationToken))!;
        return Page();
    }
}
