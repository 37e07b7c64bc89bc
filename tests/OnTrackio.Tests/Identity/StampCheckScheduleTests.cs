using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OnTrackio.Identity;

namespace OnTrackio.Tests.Identity;

/// <summary>The shortcut in front of Identity's stamp check must say "due" whenever Identity's own validator would.</summary>
public sealed class StampCheckScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, false)]
    [InlineData(29, false)]
    [InlineData(30, false)]
    [InlineData(31, true)]
    [InlineData(600, true)]
    public void IsDue_AfterTheValidationInterval_AndNotBefore(int minutesAgo, bool due)
    {
        Assert.Equal(due, StampCheckSchedule.IsDue(Context(Now.AddMinutes(-minutesAgo))));
    }

    [Fact]
    public void IsDue_TicketWithoutIssueTime_IsAlwaysDue()
    {
        Assert.True(StampCheckSchedule.IsDue(Context(issuedUtc: null)));
    }

    [Fact]
    public void IsDue_FollowsAConfiguredInterval()
    {
        Assert.True(StampCheckSchedule.IsDue(Context(Now.AddMinutes(-2), interval: TimeSpan.FromMinutes(1))));
    }

    private static CookieValidatePrincipalContext Context(DateTimeOffset? issuedUtc, TimeSpan? interval = null)
    {
        var services = new ServiceCollection()
            .Configure<SecurityStampValidatorOptions>(options =>
            {
                options.TimeProvider = new FakeTimeProvider(Now);
                options.ValidationInterval = interval ?? options.ValidationInterval;
            })
            .BuildServiceProvider();
        var ticket = new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity("test")), new AuthenticationProperties { IssuedUtc = issuedUtc }, IdentityConstants.ApplicationScheme);
        return new CookieValidatePrincipalContext(
            new DefaultHttpContext { RequestServices = services },
            new AuthenticationScheme(IdentityConstants.ApplicationScheme, null, typeof(CookieAuthenticationHandler)),
            new CookieAuthenticationOptions(),
            ticket);
    }
}
