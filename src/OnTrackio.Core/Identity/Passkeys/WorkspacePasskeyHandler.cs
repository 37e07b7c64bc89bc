using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity.Passkeys;

/// <summary>
/// Identity's own passkey handler, with the relying party fixed to the workspace: the RP ID is the verified hostname
/// the request's workspace was resolved from, and a credential's client data must name exactly this workspace's
/// origin. A passkey made at one workspace's host is therefore signed for that host alone, and no other workspace
/// (another host, another relying party) accepts it, even for the same person.
/// </summary>
/// <remarks>
/// Identity would default the RP ID to the raw <c>Host</c> header, and the origin check to "the client data's origin
/// equals the request's Origin header". Both are what the client sends; here both come from the hostname that
/// <see cref="HostResolutionMiddleware"/> normalised and found verified in the catalog. The options differ per
/// request, so the handler is built per request rather than from <c>IOptions</c>.
/// </remarks>
public sealed class WorkspacePasskeyHandler(UserManager<WorkspaceUser> users, WorkspaceContext workspace) : IPasskeyHandler<WorkspaceUser>
{
    /// <summary>How long the browser waits for the person at the authenticator.</summary>
    public static readonly TimeSpan AuthenticatorTimeout = TimeSpan.FromMinutes(2);

    private PasskeyHandler<WorkspaceUser>? _inner;

    public Task<PasskeyCreationOptionsResult> MakeCreationOptionsAsync(PasskeyUserEntity userEntity, HttpContext httpContext) =>
        Inner.MakeCreationOptionsAsync(userEntity, httpContext);

    public Task<PasskeyRequestOptionsResult> MakeRequestOptionsAsync(WorkspaceUser? user, HttpContext httpContext) =>
        Inner.MakeRequestOptionsAsync(user, httpContext);

    public Task<PasskeyAttestationResult> PerformAttestationAsync(PasskeyAttestationContext context) =>
        Inner.PerformAttestationAsync(context);

    public Task<PasskeyAssertionResult<WorkspaceUser>> PerformAssertionAsync(PasskeyAssertionContext context) =>
        Inner.PerformAssertionAsync(context);

    /// <summary>The options for one workspace hostname.</summary>
    public static IdentityPasskeyOptions OptionsFor(string hostname) => new()
    {
        ServerDomain = hostname,

        // A passkey stands for two factors (the device, and its PIN or biometric), so the device must check the person.
        UserVerificationRequirement = "required",

        // Sign-in asks for no user name first: the authenticator must keep the credential (a discoverable one).
        ResidentKeyRequirement = "required",
        AuthenticatorTimeout = AuthenticatorTimeout,
        ValidateOrigin = context => ValueTask.FromResult(IsWorkspaceOrigin(context, hostname)),
    };

    /// <summary>
    /// The client data's origin must be this request's scheme and port on the workspace's verified hostname, and
    /// the ceremony must not have run in a frame of another site.
    /// </summary>
    public static bool IsWorkspaceOrigin(PasskeyOriginValidationContext context, string hostname)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CrossOrigin || !Uri.TryCreate(context.Origin, UriKind.Absolute, out var origin))
        {
            return false;
        }

        var request = context.HttpContext.Request;
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(origin.IdnHost, hostname, StringComparison.OrdinalIgnoreCase)
            && origin.Port == port
            && origin.PathAndQuery == "/";
    }

    // Built on first use, not in the constructor: SignInManager is also created where no passkey is involved.
    private PasskeyHandler<WorkspaceUser> Inner => _inner ??= new(users, Options.Create(OptionsFor(workspace.Current.Hostname)));
}
