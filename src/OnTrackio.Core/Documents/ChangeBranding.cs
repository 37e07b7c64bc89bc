using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OnTrackio.Audit;
using OnTrackio.WorkspaceData;

namespace OnTrackio.Documents;

/// <summary>The accent colour rule: exactly <c>#rrggbb</c>, so the stored value is safe inside a style attribute or element.</summary>
public static partial class AccentColour
{
    public static string? Normalise(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        return Pattern().IsMatch(trimmed)
            ? trimmed.ToLowerInvariant()
            : throw new OperationRefusedException("The accent colour is written #rrggbb, six hexadecimal digits (for example #0a66c2).")
            {
                FieldErrors = new Dictionary<string, IReadOnlyList<string>> { ["AccentColour"] = ["Write the colour as #rrggbb, for example #0a66c2."] },
            };
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

/// <summary>Sets (or clears) the workspace's accent colour; audited.</summary>
public sealed class ChangeAccentColour(WorkspaceDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task ExecuteAsync(string? colour, CancellationToken cancellationToken)
    {
        var normalised = AccentColour.Normalise(colour);
        var settings = await BrandingQueries.LoadForChangeAsync(db, time, cancellationToken);
        var before = settings.AccentColour;
        settings.AccentColour = normalised;
        settings.UpdatedAt = time.GetUtcNow();
        audit.AddChange(AuditEventType.BrandingChanged, "branding", BrandingSettings.SingletonId, [new FieldChange("accent_colour", before, normalised)]);
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// Stores a new logo (PNG, JPEG or WebP, at most <see cref="DocumentOptions.MaxLogoBytes"/>) as the next version of the
/// workspace's branding document, or as its first; the branding change and the upload commit together.
/// </summary>
public sealed class SetLogo(WorkspaceDbContext db, AuditTrail audit, UploadDocument upload, TimeProvider time)
{
    public async Task ExecuteAsync(string? fileName, Stream content, CancellationToken cancellationToken)
    {
        var settings = await BrandingQueries.LoadForChangeAsync(db, time, cancellationToken);
        var existing = settings.LogoDocumentId is { } id && await db.Set<Document>().AnyAsync(d => d.Id == id && d.DeletedAt == null, cancellationToken) ? id : (Guid?)null;
        var documentId = existing ?? Guid.CreateVersion7();
        settings.LogoDocumentId = documentId;
        settings.UpdatedAt = time.GetUtcNow();
        audit.AddChange(AuditEventType.BrandingChanged, "branding", BrandingSettings.SingletonId, [new FieldChange("logo_document_id", existing?.ToString(), documentId.ToString())]);
        await upload.ExecuteAsync(
            new DocumentUpload(fileName, []) { Purpose = DocumentPurpose.Branding, ReplaceDocumentId = existing, NewDocumentId = documentId },
            content,
            cancellationToken);
    }
}

public sealed record BrandingView(string? AccentColour, Guid? LogoDocumentId);

public sealed class BrandingQueries(WorkspaceDbContext db)
{
    public async Task<BrandingView> CurrentAsync(CancellationToken cancellationToken)
    {
        var settings = await db.Set<BrandingSettings>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == BrandingSettings.SingletonId, cancellationToken);
        return new BrandingView(settings?.AccentColour, settings?.LogoDocumentId);
    }

    internal static async Task<BrandingSettings> LoadForChangeAsync(WorkspaceDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = await db.Set<BrandingSettings>().SingleOrDefaultAsync(b => b.Id == BrandingSettings.SingletonId, cancellationToken);
        if (settings is null)
        {
            settings = new BrandingSettings { UpdatedAt = time.GetUtcNow() };
            db.Add(settings);
        }

        return settings;
    }
}
