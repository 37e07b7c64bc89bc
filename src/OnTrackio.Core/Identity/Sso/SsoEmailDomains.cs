using OnTrackio.Tenancy;

namespace OnTrackio.Identity.Sso;

/// <summary>
/// The email domains a workspace accepts from its identity provider. A provider usually serves many organisations
/// (a shared tenant, personal accounts), so an email it vouches for is not enough: the domain must be this customer's.
/// </summary>
public static class SsoEmailDomains
{
    private static readonly char[] Separators = [' ', ',', ';', '\n', '\r', '\t'];

    /// <summary>Parses what an admin typed into the stored form: lower case, punycode, space-separated, no duplicates.</summary>
    public static bool TryParse(string? text, out string normalized, out string error)
    {
        normalized = string.Empty;
        error = string.Empty;
        var domains = new List<string>();
        foreach (var raw in (text ?? string.Empty).Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = raw.TrimStart('@');
            if (!HostName.TryNormalize(candidate, out var domain) || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('['))
            {
                error = $"“{raw}” is not an email domain such as example.com.";
                return false;
            }

            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        normalized = string.Join(' ', domains);
        if (normalized.Length > 2000)
        {
            error = "The allowed email domains take more than 2,000 characters.";
            return false;
        }

        return true;
    }

    public static bool Allows(SsoConfiguration configuration, string email)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var at = email.LastIndexOf('@');
        if (at <= 0 || !HostName.TryNormalize(email[(at + 1)..], out var domain))
        {
            return false;
        }

        return configuration.AllowedEmailDomains.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(domain, StringComparer.Ordinal);
    }
}
