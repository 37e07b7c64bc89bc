namespace OnTrackio.Web.Pages.Account;

/// <summary>
/// A form that runs a WebAuthn ceremony with passkeys.js: <paramref name="Page"/> answers the options by its
/// <c>Options</c> handler and receives the credential by its default POST handler.
/// </summary>
public sealed record PasskeyForm(string Page, string Label, string? ReturnUrl);
