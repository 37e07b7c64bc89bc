using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Assets;
using OnTrackio.Register;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>A thing of the register a document is attached to, written <c>kind:id</c> in query strings (<c>asset:0193…</c>).</summary>
public sealed record DocumentTarget(DocumentTargetKind Kind, Guid Id)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Id}";

    public static bool TryParse(string? value, [NotNullWhen(true)] out DocumentTarget? target)
    {
        target = null;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || !TryParseKind(value![..colon], out var kind) || !Guid.TryParse(value[(colon + 1)..], out var id))
        {
            return false;
        }

        target = new DocumentTarget(kind, id);
        return true;
    }

    public static bool TryParseKind(string? value, out DocumentTargetKind kind) =>
        Enum.TryParse(value, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(value, out _);

    /// <summary>Where the target is shown, for links back from a document.</summary>
    public string PagePath => Kind == DocumentTargetKind.Asset ? $"/assets/{Id}" : $"/documents?target={this}";

    /// <summary>
    /// Refuses a target this workspace does not have. Ids are looked up in this host's workspace database, so another
    /// workspace's asset is simply not found. Licences and requests are not in the register yet, so they are refused
    /// with that reason rather than accepted unchecked.
    /// </summary>
    public async Task EnsureExistsAsync(WorkspaceDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var exists = Kind switch
        {
            DocumentTargetKind.Asset => await db.Set<Asset>().AnyAsync(a => a.Id == Id, cancellationToken),
            DocumentTargetKind.Model => await db.Set<AssetModel>().AnyAsync(m => m.Id == Id, cancellationToken),
            DocumentTargetKind.Supplier => await db.Set<Supplier>().AnyAsync(s => s.Id == Id, cancellationToken),
            _ => throw new UploadRefusedException(
                $"Documents cannot be attached to {Kind.ToString().ToLowerInvariant()}s yet: they are not in the register. Attach it to an asset, a model or a supplier."),
        };
        if (!exists)
        {
            throw new UploadRefusedException($"This workspace has no {Kind.ToString().ToLowerInvariant()} {Id}.");
        }
    }
}
