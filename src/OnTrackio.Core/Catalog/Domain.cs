namespace OnTrackio.Catalog;

/// <summary>A hostname that routes to a workspace once verified. The hostname is the key, so it can never belong to two workspaces.</summary>
public sealed class Domain
{
    /// <summary>Normalised: lower case, no trailing dot, no port, IDN as punycode.</summary>
    public required string Hostname { get; init; }

    public Guid WorkspaceId { get; init; }

    /// <summary>A public challenge value, published by the customer in DNS or served over HTTP; not a credential.</summary>
    public required string VerificationToken { get; init; }

    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>The platform subdomain (<c>slug.platform-domain</c>) given at provisioning.</summary>
    public bool IsPrimary { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
