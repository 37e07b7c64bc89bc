using System.Globalization;

namespace OnTrackio.Bench;

/// <summary>The benchmark's size. The defaults are the size the targets are stated for; smaller runs are for trying it out.</summary>
internal sealed record BenchOptions(
    int Workspaces, int Seconds, int Concurrency, bool IdentityOnly = false, bool Embedded = false, bool AuditOnly = false, int AuditEntries = BenchOptions.AuditTargetEntries,
    bool RegisterOnly = false, int RegisterAssets = BenchOptions.RegisterTargetAssets, int RegisterPeople = BenchOptions.RegisterTargetPeople,
    bool TokensOnly = false, bool WebhooksOnly = false, int WebhookEvents = BenchOptions.WebhookTargetEvents, bool DocumentsOnly = false)
{
    public const string Usage =
        "usage: scripts/bench [--identity [--embedded]] [--audit [--entries N (1000000)]] [--register [--assets N (100000)] [--people N (5000)]] [--tokens] [--webhooks [--events N (5000)]] [--documents] [--workspaces N (1000)] [--seconds S (10)] [--concurrency C (16)]";

    /// <summary>The register's import, list and export targets are stated for 100,000 assets and 5,000 people.</summary>
    public const int RegisterTargetAssets = 100_000;

    public const int RegisterTargetPeople = 5_000;

    /// <summary>Deliveries per second are measured over this many events due at once (an import's).</summary>
    public const int WebhookTargetEvents = 5_000;

    /// <summary>The audit verify target is stated for a million entries.</summary>
    public const int AuditTargetEntries = 1_000_000;

    /// <summary>The migrate targets are stated for 200 workspaces.</summary>
    public const int MigrationTargetWorkspaces = 200;

    public int MigrationWorkspaces => Math.Min(MigrationTargetWorkspaces, Workspaces);

    /// <summary>The options, or null when help was asked for. Throws <see cref="ArgumentException"/> on anything else.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(1000, 10, 16);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return null;
            }

            if (name is "--identity")
            {
                options = options with { IdentityOnly = true };
                continue;
            }

            if (name is "--audit")
            {
                options = options with { AuditOnly = true };
                continue;
            }

            if (name is "--register")
            {
                options = options with { RegisterOnly = true };
                continue;
            }

            if (name is "--tokens")
            {
                options = options with { TokensOnly = true };
                continue;
            }

            if (name is "--webhooks")
            {
                options = options with { WebhooksOnly = true };
                continue;
            }

            if (name is "--documents")
            {
                options = options with { DocumentsOnly = true };
                continue;
            }

            if (name is "--embedded")
            {
                options = options with { Embedded = true };
                continue;
            }

            if (name is not ("--workspaces" or "--seconds" or "--concurrency" or "--entries" or "--assets" or "--people" or "--events"))
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }

            var number = i + 1 < args.Count ? Positive(name, args[++i]) : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--workspaces" => options with { Workspaces = number },
                "--seconds" => options with { Seconds = number },
                "--entries" => options with { AuditEntries = number },
                "--assets" => options with { RegisterAssets = number },
                "--people" => options with { RegisterPeople = number },
                "--events" => options with { WebhookEvents = Math.Max(2, number) },
                _ => options with { Concurrency = number },
            };
        }

        // The other figures are about PostgreSQL servers and connection budgets, which the embedded engine has none of.
        return options.Embedded && !options.IdentityOnly
            ? throw new ArgumentException("--embedded goes with --identity: the other figures are PostgreSQL's.")
            : options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
