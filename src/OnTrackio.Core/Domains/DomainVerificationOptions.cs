using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Domains;

public sealed class DomainVerificationOptions
{
    public const string Section = "OnTrackio:DomainVerification";

    /// <summary>DNS servers asked for challenge records and addresses, as <c>ip</c> or <c>ip:port</c>. Empty: the system's resolvers.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>Port of the HTTP challenge (80 in production; a loopback port in tests).</summary>
    [Range(1, 65535)]
    public int HttpPort { get; set; } = 80;

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
