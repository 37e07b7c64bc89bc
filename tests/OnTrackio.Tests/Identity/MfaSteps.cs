using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Invitations;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Identity;

/// <summary>What a person does in a browser to enrol, sign in with a second factor and re-authenticate, for the MFA tests.</summary>
internal static partial class MfaSteps
{
    public const string Password = "a long enough passphrase";

    /// <summary>A person with an authenticator app, as the test knows them: the secret read from the page, and the codes shown once.</summary>
    public sealed record Enrolled(string Secret, IReadOnlyList<string> RecoveryCodes);

    /// <summary>Opens the setup page, reads the key written out for manual entry, and confirms it with the app's current code.</summary>
    public static async Task<Enrolled> EnrolAsync(BrowserSession session, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var page = await session.GetAsync("/account/mfa/setup");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"setup page: {(int)page.StatusCode}");
        var secret = SecretOf(html);

        using var confirmed = await session.SubmitAsync("/account/mfa/setup", BrowserSession.Form(("code", CodeAt(secret, time))));
        var result = await confirmed.Content.ReadAsStringAsync();
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, $"confirming: {(int)confirmed.StatusCode}");
        var codes = RecoveryCodesIn(result);
        Assert.Equal(RecoveryCodes.Count, codes.Count);
        return new Enrolled(secret, codes);
    }

    public static string SecretOf(string html) =>
        SecretText().Match(html) is { Success: true } match
            ? match.Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal)
            : throw new InvalidOperationException("No setup key on the page.");

    public static List<string> RecoveryCodesIn(string html) => [.. RecoveryCodeText().Matches(html).Select(m => m.Groups[1].Value)];

    /// <summary>What the person's app shows now (or <paramref name="steps"/> steps from now).</summary>
    public static string CodeAt(string secret, TimeProvider time, int steps = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Totp.Code(Base32.Decode(secret), Totp.StepAt(time.GetUtcNow()) + steps);
    }

    /// <summary>Moves the clock to the next 30-second step, so the app shows a code not used yet.</summary>
    public static string NextCode(string secret, FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        time.Advance(TimeSpan.FromSeconds(Totp.StepSeconds));
        return CodeAt(secret, time);
    }

    /// <summary>Signs in with the password in a new session, which is left at the second step.</summary>
    public static async Task<BrowserSession> PasswordStepAsync(TestWebHost host, string hostname, string email)
    {
        var session = new BrowserSession(host, hostname);
        using var response = await session.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", email), ("password", Password)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"password step: {(int)response.StatusCode}");
        Assert.StartsWith("/account/mfa", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        return session;
    }

    public static Task<HttpResponseMessage> SubmitCodeAsync(BrowserSession session, string code) =>
        session.SubmitAsync("/account/mfa", BrowserSession.Form(("code", code)));

    public static Task<HttpResponseMessage> SubmitRecoveryCodeAsync(BrowserSession session, string code) =>
        session.SubmitAsync("/account/mfa?handler=recovery", BrowserSession.Form(("recoveryCode", code)), tokenFrom: "/account/mfa");

    public static async Task<HttpStatusCode> MeAsync(BrowserSession session)
    {
        using var response = await session.GetAsync("/api/v1/me");
        return response.StatusCode;
    }

    /// <summary>The owner invites a colleague with <paramref name="role"/>, who accepts and is signed in.</summary>
    public static async Task<BrowserSession> InviteAsync(TestWebHost host, BrowserSession owner, string email, string role)
    {
        ArgumentNullException.ThrowIfNull(owner);
        using var invited = await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest(email, role));
        Assert.True(invited.IsSuccessStatusCode, $"inviting {email}: {(int)invited.StatusCode}");
        var issued = await invited.Content.ReadFromJsonAsync<IssuedInvitation>();
        return await BrowserSession.AcceptInvitationAsync(host, issued!.Link, Password);
    }

    public static Task<List<string>> AuditAsync(string database, params string[] types) =>
        TestCluster.A.QueryAsync<string>(
            database,
            $"SELECT type || '|' || coalesce(subject, '') FROM audit_events WHERE type IN ({string.Join(", ", types.Select(t => $"'{t}'"))}) ORDER BY id");

    [GeneratedRegex("class=\"secret\"[^>]*>([A-Z2-7 ]+)<")]
    private static partial Regex SecretText();

    [GeneratedRegex("<li><code>([0-9A-Z-]+)</code></li>")]
    private static partial Regex RecoveryCodeText();
}
