using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Tenancy;

public sealed class TenancyOptions
{
    public const string Section = "OnTrackio:Tenancy";

    /// <summary>The platform's own domain: a workspace is provisioned at <c>&lt;slug&gt;.&lt;PlatformDomain&gt;</c>.</summary>
    [Required, RegularExpression(@"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    public string PlatformDomain { get; set; } = "localhost";

    /// <summary>Scheme and port for links the platform prints (invitations); the host is always the workspace's own.</summary>
    [Required, RegularExpression("^https?$")]
    public string PublicScheme { get; set; } = "https";

    [Range(0, 65535)]
    public int PublicPort { get; set; }

    /// <summary>How long a hostname lookup (found or not) is trusted before the catalog is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a host checks the catalog's routing counter; a change drops every cached lookup at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ChangeCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Reverse proxies whose X-Forwarded-* headers are believed. Empty: none are, from anyone.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public string LinkTo(string hostname, string path)
    {
        var port = PublicPort is 0 || (PublicScheme == "https" && PublicPort == 443) || (PublicScheme == "http" && PublicPort == 80)
            ? string.Empty
            : $":{PublicPort}";
        return $"{PublicScheme}://{hostname}{port}{path}";
    }
}
