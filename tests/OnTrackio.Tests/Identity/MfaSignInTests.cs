using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Encryption;
using OnTrackio.Identity;
using OnTrackio.Identity.Mfa;
using OnTrackio.Provisioning;
using OnTrackio.Tests.Infrastructure;
using static OnTrackio.Tests.Identity.MfaSteps;

namespace OnTrackio.Tests.Identity;

/// <summary>Enrolling an authenticator app through the pages, and signing in with it or with a recovery code.</summary>
public sealed class MfaSignInTests : IAsyncLifetime
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
    public async Task Setup_ShowsAQrCodeAndTheKey_NeverCached()
    {
        var (_, owner) = await OwnerAsync("qrcode");

        using var page = await owner.GetAsync("/account/mfa/setup");

        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Equal(32, SecretOf(html).Length);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        // Showing the page again shows the same pending key, so a slow person's app still matches.
        using var again = await owner.GetAsync("/account/mfa/setup");
        Assert.Equal(SecretOf(html), SecretOf(await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Enrol_ThenSignIn_AsksForTheCode_AndTheCodeSignsIn()
    {
        var (workspace, owner) = await OwnerAsync("acme");
        var enrolled = await EnrolAsync(owner, _time);

        var session = await PasswordStepAsync(_host, "acme.localhost", "owner@acme.example");
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(session));
        using var response = await SubmitCodeAsync(session, NextCode(enrolled.Secret, _time));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(session));
        Assert.Equal(
            ["TotpEnrolled|", "RecoveryCodesGenerated|10 codes", "MfaChallengePassed|authenticator app", "SignedIn|password + authenticator app"],
            await AuditAsync(workspace.DatabaseName, "TotpEnrolled", "RecoveryCodesGenerated", "MfaChallengePassed", "SignedIn"));
    }

    [Fact]
    public async Task SecondStep_KeepsTheReturnUrl_OnlyOnThisHost()
    {
        var (_, owner) = await OwnerAsync("return");
        var enrolled = await EnrolAsync(owner, _time);
        using var overview = await owner.GetAsync("/account/security");
        Assert.Contains("10 left", await overview.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var local = new BrowserSession(_host, "return.localhost");
        using var password = await local.SubmitAsync(
            "/account/sign-in", BrowserSession.Form(("email", "owner@return.example"), ("password", Password), ("returnUrl", "/account/sessions")));
        Assert.Equal("/account/mfa?returnUrl=%2Faccount%2Fsessions", password.Headers.Location?.OriginalString);
        using var toLocal = await local.SubmitAsync(
            "/account/mfa", BrowserSession.Form(("code", NextCode(enrolled.Secret, _time)), ("returnUrl", "/account/sessions")));
        Assert.Equal("/account/sessions", toLocal.Headers.Location?.OriginalString);

        var elsewhere = await PasswordStepAsync(_host, "return.localhost", "owner@return.example");
        using var toEvil = await elsewhere.SubmitAsync(
            "/account/mfa", BrowserSession.Form(("code", NextCode(enrolled.Secret, _time)), ("returnUrl", "https://evil.example/")));
        Assert.Equal("/", toEvil.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Enrol_WithAWrongFirstCode_IsRefused_AndNothingIsTurnedOn()
    {
        var (workspace, owner) = await OwnerAsync("wrongfirst");
        using var page = await owner.GetAsync("/account/mfa/setup");
        var secret = SecretOf(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var response = await owner.SubmitAsync("/account/mfa/setup", BrowserSession.Form(("code", CodeAt(secret, _time, steps: 5))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([false], await TestCluster.A.QueryAsync<bool>(workspace.DatabaseName, "SELECT two_factor_enabled FROM users"));
        Assert.Equal(1L, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM totp_authenticators WHERE confirmed_at IS NULL")).Single());
    }

    [Fact]
    public async Task SignIn_WithACodeUsedBefore_IsRefused()
    {
        var (_, owner) = await OwnerAsync("replay");
        var enrolled = await EnrolAsync(owner, _time);
        var code = NextCode(enrolled.Secret, _time);
        var first = await PasswordStepAsync(_host, "replay.localhost", "owner@replay.example");
        using var accepted = await SubmitCodeAsync(first, code);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var second = await PasswordStepAsync(_host, "replay.localhost", "owner@replay.example");
        using var replayed = await SubmitCodeAsync(second, code);

        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second));

        // An earlier step's code, still inside the clock-drift window, is refused too.
        var third = await PasswordStepAsync(_host, "replay.localhost", "owner@replay.example");
        using var older = await SubmitCodeAsync(third, CodeAt(enrolled.Secret, _time, steps: -1));
        Assert.Equal(HttpStatusCode.BadRequest, older.StatusCode);
    }

    [Fact]
    public async Task SignIn_OneCodeUsedTwiceAtOnce_SignsInOnlyOnce()
    {
        var (_, owner) = await OwnerAsync("race");
        var enrolled = await EnrolAsync(owner, _time);
        var code = NextCode(enrolled.Secret, _time);
        var sessions = new[]
        {
            await PasswordStepAsync(_host, "race.localhost", "owner@race.example"),
            await PasswordStepAsync(_host, "race.localhost", "owner@race.example"),
        };

        var responses = await Task.WhenAll(sessions.Select(s => SubmitCodeAsync(s, code)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SignIn_WithAWrongCode_IsRefused_Audited_AndCountsTowardLockout()
    {
        var (workspace, owner) = await OwnerAsync("wrong");
        var enrolled = await EnrolAsync(owner, _time);
        var session = await PasswordStepAsync(_host, "wrong.localhost", "owner@wrong.example");

        using var response = await SubmitCodeAsync(session, CodeAt(enrolled.Secret, _time, steps: 7));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal([1], await TestCluster.A.QueryAsync<int>(workspace.DatabaseName, "SELECT access_failed_count FROM users"));
        Assert.Equal(["MfaChallengeFailed|authenticator app"], await AuditAsync(workspace.DatabaseName, "MfaChallengeFailed"));
        Assert.Empty(await AuditAsync(workspace.DatabaseName, "SignInFailed"));
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce_AndIsStoredOnlyAsAHash()
    {
        var (workspace, owner) = await OwnerAsync("recover");
        var enrolled = await EnrolAsync(owner, _time);
        var code = enrolled.RecoveryCodes[3];

        var stored = (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT value FROM user_tokens WHERE name = 'RecoveryCodes'")).Single();
        Assert.All(enrolled.RecoveryCodes, c => Assert.DoesNotContain(c.Replace("-", string.Empty, StringComparison.Ordinal), stored.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        Assert.All(enrolled.RecoveryCodes, c => Assert.Matches("^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$", c));

        var first = await PasswordStepAsync(_host, "recover.localhost", "owner@recover.example");
        using var accepted = await SubmitRecoveryCodeAsync(first, code.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(first));

        var second = await PasswordStepAsync(_host, "recover.localhost", "owner@recover.example");
        using var again = await SubmitRecoveryCodeAsync(second, code);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(second));

        var left = (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT value FROM user_tokens WHERE name = 'RecoveryCodes'")).Single();
        Assert.Equal(9, left.Split(';').Length);
        Assert.Equal(["RecoveryCodeUsed|9 left"], await AuditAsync(workspace.DatabaseName, "RecoveryCodeUsed"));

        // Identity's recovery-code sign-in counts no failures; this one does.
        Assert.Equal([1], await TestCluster.A.QueryAsync<int>(workspace.DatabaseName, "SELECT access_failed_count FROM users"));
    }

    [Fact]
    public async Task RecoveryCodes_Regenerated_ReplaceTheOldOnes()
    {
        var (_, owner) = await OwnerAsync("regen");
        var enrolled = await EnrolAsync(owner, _time);

        using var regenerated = await owner.SubmitAsync("/account/mfa/recovery-codes", BrowserSession.Form());
        var fresh = RecoveryCodesIn(await regenerated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        Assert.Contains("no-store", regenerated.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(enrolled.RecoveryCodes));

        var withOld = await PasswordStepAsync(_host, "regen.localhost", "owner@regen.example");
        using var old = await SubmitRecoveryCodeAsync(withOld, enrolled.RecoveryCodes[0]);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        using var current = await SubmitRecoveryCodeAsync(withOld, fresh[0]);
        Assert.Equal(HttpStatusCode.Redirect, current.StatusCode);
    }

    [Fact]
    public async Task Secret_IsOnlyCiphertextInTheDatabase_BoundToItsUsersRow()
    {
        var (workspace, owner) = await OwnerAsync("cipher");
        var enrolled = await EnrolAsync(owner, _time);
        var member = await InviteAsync(_host, owner, "member@cipher.example", WorkspaceRoles.Member);
        var memberSecret = (await EnrolAsync(member, _time)).Secret;

        var raw = await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT secret_encrypted FROM totp_authenticators ORDER BY created_at");
        Assert.All(raw, r => Assert.StartsWith("otx1.1.", r, StringComparison.Ordinal));
        Assert.DoesNotContain(raw, r => r.Contains(enrolled.Secret, StringComparison.OrdinalIgnoreCase) || r.Contains(memberSecret, StringComparison.OrdinalIgnoreCase));

        // The owner's ciphertext on the member's row: whoever can write the table still cannot give the member the owner's app.
        var ownerId = (await TestCluster.A.QueryAsync<Guid>(workspace.DatabaseName, "SELECT id FROM users WHERE email = 'owner@cipher.example'")).Single();
        var memberId = (await TestCluster.A.QueryAsync<Guid>(workspace.DatabaseName, "SELECT id FROM users WHERE email = 'member@cipher.example'")).Single();
        await TestCluster.A.ExecuteAsync(
            workspace.DatabaseName,
            $"UPDATE totp_authenticators SET secret_encrypted = (SELECT secret_encrypted FROM totp_authenticators WHERE user_id = '{ownerId}') WHERE user_id = '{memberId}'");
        var moved = (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, $"SELECT secret_encrypted FROM totp_authenticators WHERE user_id = '{memberId}'")).Single();

        await Assert.ThrowsAsync<FieldDecryptionException>(() => _platform.Services.GetRequiredService<FieldProtector>()
            .UnprotectAsync(workspace.Id, TotpSecret.AddressOf(memberId), moved, CancellationToken.None));
        var session = await PasswordStepAsync(_host, "cipher.localhost", "member@cipher.example");
        using var response = await SubmitCodeAsync(session, NextCode(enrolled.Secret, _time));
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(session));
    }

    [Fact]
    public async Task KeysRotate_ReencryptsTheSecret_AndTheAppKeepsWorking()
    {
        var (workspace, owner) = await OwnerAsync("rotate");
        var enrolled = await EnrolAsync(owner, _time);

        var rotated = await _platform.CliAsync("keys", "rotate");

        rotated.ShouldSucceed();
        Assert.Contains("1 value(s) re-encrypted", rotated.Output, StringComparison.Ordinal);
        Assert.StartsWith(
            "otx1.2.",
            (await TestCluster.A.QueryAsync<string>(workspace.DatabaseName, "SELECT secret_encrypted FROM totp_authenticators")).Single(),
            StringComparison.Ordinal);
        var session = await PasswordStepAsync(_host, "rotate.localhost", "owner@rotate.example");
        using var response = await SubmitCodeAsync(session, NextCode(enrolled.Secret, _time));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(session));
    }

    [Fact]
    public async Task Remove_TurnsTheSecondStepOff_AndDropsTheRecoveryCodes()
    {
        var (workspace, owner) = await OwnerAsync("remove");
        await EnrolAsync(owner, _time);

        using var removed = await owner.SubmitAsync("/account/mfa/remove", BrowserSession.Form());

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(owner));
        Assert.Equal(0L, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM totp_authenticators")).Single());
        Assert.Equal(0L, (await TestCluster.A.QueryAsync<long>(workspace.DatabaseName, "SELECT count(*) FROM user_tokens WHERE name = 'RecoveryCodes'")).Single());
        Assert.Equal(["TotpRemoved|"], await AuditAsync(workspace.DatabaseName, "TotpRemoved"));
        var again = new BrowserSession(_host, "remove.localhost");
        using var signedIn = await again.SubmitAsync("/account/sign-in", BrowserSession.Form(("email", "owner@remove.example"), ("password", Password)));
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, await MeAsync(again));
    }

    private async Task<(CreatedWorkspace Workspace, BrowserSession Owner)> OwnerAsync(string slug)
    {
        var workspace = await _platform.CreateWorkspaceAsync(slug);
        return (workspace, await BrowserSession.AcceptInvitationAsync(_host, workspace.InvitationLink, Password));
    }
}
