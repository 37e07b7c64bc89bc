using System.ComponentModel.DataAnnotations;

namespace OnTrackio.Webhooks;

/// <summary>Platform-wide settings of webhook delivery (<c>OnTrackio:Webhooks</c>); what each workspace sets is its subscriptions.</summary>
public sealed class WebhookOptions
{
    public const string Section = "OnTrackio:Webhooks";

    /// <summary>
    /// Lets endpoints be <c>http://</c> on a loopback address, and deliveries connect to loopback. Off in every real
    /// deployment: a customer's URL must never reach the platform's own host. Tests and the benchmark turn it on for
    /// their receivers on 127.0.0.1; every other internal address stays refused even then.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>DNS servers asked for endpoints' addresses (<c>ip</c> or <c>ip:port</c>); empty: the system's resolver.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>How often each host looks for due deliveries in the workspaces it watches (changes made through it are sent at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often each host reads every workspace for subscriptions and pending deliveries it does not yet watch.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after start a host waits before its first look over every workspace. A starting host serves requests
    /// before it opens every workspace's database, and a fleet restarting together does not open them all at once;
    /// changes made through the host are watched from their commit meanwhile, and retries are minutes apart.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DiscoveryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The wait before each retry after a failed attempt; the delivery gives up after the last. Unset: <see cref="DefaultSchedule"/>.
    /// </summary>
    public List<TimeSpan>? RetrySchedule { get; set; }

    /// <summary>Each wait is varied by up to this share either way, so endpoints that failed together are not retried together.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>How long an attempt may take, connection included; the endpoint should answer at once and work afterwards.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most attempts one host has in flight at once, across workspaces.</summary>
    [Range(1, 1024)]
    public int Concurrency { get; set; } = 64;

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SecretGracePeriod { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long finished deliveries (and their attempts and events) stay in the delivery log.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 14 h, 16 h: eleven attempts over about three days, as the Standard
    /// Webhooks specification's example schedule, stretched at the end to three days.
    /// </summary>
    public static IReadOnlyList<TimeSpan> DefaultSchedule { get; } =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(14), TimeSpan.FromHours(16),
    ];

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule is { Count: > 0 } schedule ? schedule : DefaultSchedule;

    /// <summary>A claimed delivery is someone else's to take again only after its attempt must have ended.</summary>
    public TimeSpan Lease => Timeout + TimeSpan.FromSeconds(30);
}
