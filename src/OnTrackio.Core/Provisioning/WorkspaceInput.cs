using System.Net.Mail;
using System.Text.RegularExpressions;

namespace OnTrackio.Provisioning;

/// <summary>Validation of what an operator types when creating a workspace; each failure says how to fix it.</summary>
public static partial class WorkspaceInput
{
    /// <summary>Subdomains of the platform that serve the platform itself, or would mislead a user.</summary>
    private static readonly HashSet<string> ReservedSlugs =
    [
        "www", "api", "app", "admin", "auth", "login", "sso", "mail", "smtp", "status", "docs", "help", "support",
        "static", "assets", "cdn", "catalog", "platform", "ontrackio", "www1", "ns1", "ns2", "localhost",
    ];

    public static string Slug(string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug) || !SlugPattern().IsMatch(slug) || slug.Contains("--", StringComparison.Ordinal))
        {
            throw new OperationRefusedException(
                $"'{slug}' is not a valid slug: use 3 to 40 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen.");
        }

        if (ReservedSlugs.Contains(slug))
        {
            throw new OperationRefusedException($"The slug '{slug}' is reserved for the platform; choose another.");
        }

        return slug;
    }

    public static string DisplayName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 100 || trimmed.Any(char.IsControl))
        {
            throw new OperationRefusedException("The workspace name must be 1 to 100 printable characters.");
        }

        return trimmed;
    }

    public static string Email(string? email)
    {
        var trimmed = email?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 254
            || !MailAddress.TryCreate(trimmed, out var address)
            || address.Address != trimmed
            || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            throw new OperationRefusedException($"'{email}' is not a valid email address.");
        }

        return trimmed;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$")]
    private static partial Regex SlugPattern();
}
