using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Catalog;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using static OnTrackio.Tests.Identity.MfaSteps;

namespace OnTrackio.Tests.Identity;

/// <summary>What stands between an attacker and the second factor: lockout, rate limit, re-authentication, workspace walls.</summary>
public sealed class MfaProtectionTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestPlatform _platform = null!;
    private TestWebHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _platform = await TestPlatform.PostgresAsync();
        _host = await _platform.StartWebHostAsync(time: _time);
    }

    public async ValueTask DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task GuessingCodes_LocksTheAccount_EvenForARecoveryCode_ThenHitsTheRateLimit()
    {
        var (workspace, owner) = await OwnerAsync("brute", "owner@brute.example");
        var enrolled = await EnrolAsync(owner, _time);
        var attacker = await PasswordStepAsync(_host, "brute.localhost", "owner@brute.example");

        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 5; guess++)
        {
            using var response = await SubmitCodeAsync(attacker, CodeAt(enrolled.Secret, _time, steps: 100 + guess));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 4), (HttpStatusCode)423], statuses);

        // Locked means locked: neither the right code nor a recovery code gets in now.
        using var rightCode = await SubmitCodeAsync(attacker, NextCode(enrolled.Secret, _time));
        Assert.Equal((HttpStatusCode)423, rightCode.StatusCode);
        using var recovery = await SubmitRecoveryCodeAsync(attacker, enrolled.RecoveryCodes[0]);
        Assert.Equal((HttpStatusCode)423, recovery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(attacker));
        Assert.Equal(10, (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT value FROM user_tokens WHERE name = 'RecoveryCodes'")).Single().Split(';').Length);

        // One accepted invitation, one password and seven codes so far: the next attempts in this minute are refused.
        HttpResponseMessage? limited = null;
        for (var attempt = 0; attempt < 5 && limited is null; attempt++)
        {
            var response = await SubmitCodeAsync(attacker, "000000");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        Assert.Equal("60", limited.Headers.RetryAfter?.ToString());
        limited.Dispose();
        Assert.Contains("LockedOut|authenticator app", await AuditAsync(workspace.DatabaseName, "LockedOut"));
    }

    [Fact]
    public async Task Setup_WithAStaleProof_GoesThroughReauthentication_AndBack()
    {
        var (_, owner) = await OwnerAsync("stale", "owner@stale.example");
        _time.Advance(TimeSpan.FromMinutes(11));

        using var setup = await owner.GetAsync("/account/mfa/setup");
        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal("/account/reauthenticate?returnUrl=%2Faccount%2Fmfa%2Fsetup", setup.Headers.Location?.OriginalString);

        using var proven = await owner.SubmitAsync(setup.Headers.Location!.OriginalString, BrowserSession.Form(("password", Password), ("returnUrl", "/account/mfa/setup")));
        Assert.Equal(HttpStatusCode.Redirect, proven.StatusCode);
        Assert.Equal("/account/mfa/setup", proven.Headers.Location?.OriginalString);

        using var again = await owner.GetAsync("/account/mfa/setup");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        foreach (var page in new[] { "/account/mfa/recovery-codes", "/account/mfa/remove" })
        {
            _time.Advance(TimeSpan.FromMinutes(11));
            using var stale = await owner.GetAsync(page);
            Assert.StartsWith("/account/reauthenticate", stale.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reauthenticate_WithACodeFromTheApp_Works_ButNotTwiceWithTheSameCode()
    {
        var (workspace, owner) = await OwnerAsync("reauth", "owner@reauth.example");
        var enrolled = await EnrolAsync(owner, _time);
        _time.Advance(TimeSpan.FromMinutes(11));
        using var offered = await owner.GetAsync("/account/reauthenticate");
        Assert.Contains("name=\"code\"", await offered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var code = CodeAt(enrolled.Secret, _time);

        using var proven = await owner.SubmitAsync(
            "/account/reauthenticate?handler=code", BrowserSession.Form(("code", code), ("returnUrl", "/account/mfa/recovery-codes")), tokenFrom: "/account/reauthenticate");
        using var replayed = await owner.SubmitAsync(
            "/account/reauthenticate?handler=code", BrowserSession.Form(("code", code)), tokenFrom: "/account/reauthenticate");

        Assert.Equal(HttpStatusCode.Redirect, proven.StatusCode);
        Assert.Equal("/account/mfa/recovery-codes", proven.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        using var page = await owner.GetAsync("/account/mfa/recovery-codes");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(
            ["Reauthenticated|authenticator app", "MfaChallengeFailed|re-authentication"],
            await AuditAsync(workspace.DatabaseName, "Reauthenticated", "MfaChallengeFailed"));

        // The session still counts as a second-factor one after the new proof.
        using var saved = await owner.SubmitAsync("/settings/security", BrowserSession.Form(("mfaRequirement", "Everyone")));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(owner));
    }

    [Fact]
    public async Task SecondFactorsOfOneWorkspace_AreWorthlessInAnother_ForTheSameEmail()
    {
        var (_, ownerA) = await OwnerAsync("alpha", "it@both.example");
        var (_, ownerB) = await OwnerAsync("bravo", "it@both.example");
        var inA = await EnrolAsync(ownerA, _time);
        await EnrolAsync(ownerB, _time);
        var code = NextCode(inA.Secret, _time);

        var atB = await PasswordStepAsync(_host, "bravo.localhost", "it@both.example");
        using var totp = await SubmitCodeAsync(atB, code);
        using var recovery = await SubmitRecoveryCodeAsync(atB, inA.RecoveryCodes[0]);
        Assert.Equal(HttpStatusCode.BadRequest, totp.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, recovery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(atB));

        // A's half-finished sign-in (its two-factor cookie) carried to B's host is no sign-in there.
        var atA = await PasswordStepAsync(_host, "alpha.localhost", "it@both.example");
        var carried = new BrowserSession(_host, "bravo.localhost");
        foreach (var (name, value) in atA.Cookies)
        {
            carried.SetCookie(name, value);
        }

        using var challenge = await carried.GetAsync("/account/mfa");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/account/sign-in", challenge.Headers.Location?.OriginalString, StringComparison.Ordinal);

        // And both still work at home.
        using var home = await SubmitCodeAsync(atA, code);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(atA));
    }

    [Fact]
    public async Task EmbeddedEngine_EnrolsAndSignsInWithTheApp()
    {
        await using var platform = await TestPlatform.SqliteAsync();
        var workspace = await platform.CreateWorkspaceAsync("embedded");
        var host = await platform.StartWebHostAsync(time: _time);
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, Password);
        var enrolled = await EnrolAsync(owner, _time);
        var code = NextCode(enrolled.Secret, _time);

        var session = await PasswordStepAsync(host, "embedded.localhost", "owner@embedded.example");
        using var accepted = await SubmitCodeAsync(session, code);
        var replay = await PasswordStepAsync(host, "embedded.localhost", "owner@embedded.example");
        using var replayed = await SubmitCodeAsync(replay, code);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(session));
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Owner)> OwnerAsync(string slug, string email)
    {
        var workspace = await _platform.InScopeAsync(s => s.GetRequiredService<CreateWorkspace>().ExecuteAsync(
            new CreateWorkspaceRequest($"Workspace {slug}", slug, CatalogDbContext.DefaultRegionId, email), CancellationToken.None));
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
