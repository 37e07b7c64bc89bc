using System.Net;
using OnTrackio.Identity;
using OnTrackio.Invitations;
using OnTrackio.Tests.Infrastructure;

namespace OnTrackio.Tests.Documents;

public sealed class BrandingTests
{
    [Fact]
    public async Task LogoAndColour_ShowInTheLayout_AndInTheWorkspacesEmails_InvalidColourRefused()
    {
        using var smtp = new TestSmtpServer();
        await using var platform = await TestPlatform.PostgresAsync(configure: smtp.Configure);
        var workspace = await platform.CreateWorkspaceAsync("brand", "Brand Ltd");
        var other = await platform.CreateWorkspaceAsync("plain");
        await using var host = await platform.StartWebHostAsync();
        var owner = await BrowserSession.AcceptInvitationAsync(host, workspace.InvitationLink, DocumentSteps.Password);
        var outsider = await BrowserSession.AcceptInvitationAsync(host, other.InvitationLink, DocumentSteps.Password);

        using (var refused = await owner.SubmitAsync("/settings/branding?handler=Colour", BrowserSession.Form(("accentColour", "red;}body{display:none")), tokenFrom: "/settings/branding"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("#rrggbb", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await owner.SubmitAsync("/settings/branding?handler=Colour", BrowserSession.Form(("accentColour", "#0A66C2")), tokenFrom: "/settings/branding")).StatusCode);
        using (var svg = await owner.SubmitFileAsync("/settings/branding", "/settings/branding?handler=Logo", "logo.pdf", DocumentSteps.Pdf("not an image")))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, svg.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await owner.SubmitFileAsync("/settings/branding", "/settings/branding?handler=Logo", "logo.png", DocumentSteps.Png())).StatusCode);

        var html = await (await owner.GetAsync("/assets")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("--accent: #0a66c2", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/branding/logo\"", html, StringComparison.Ordinal);
        using (var logo = await owner.GetAsync("/branding/logo"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logo.StatusCode);
            using var image = await host.GetAsync("brand.localhost", logo.Headers.Location!.PathAndQuery);
            Assert.Equal(DocumentSteps.Png(), await image.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }

        Assert.DoesNotContain("#0a66c2", await (await outsider.GetAsync("/assets")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync("/branding/logo")).StatusCode);

        await owner.PostJsonAsync("/api/v1/invitations", new InviteColleagueRequest("colleague@brand.example", WorkspaceRoles.Member));
        var message = await smtp.WaitForAsync(m => m.To.ToString().Contains("colleague@brand.example", StringComparison.Ordinal));
        Assert.Contains("#0a66c2", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Brand Ltd", message.HtmlBody, StringComparison.Ordinal);
        Assert.NotNull(message.TextBody);
        var inline = message.BodyParts.OfType<MimeKit.MimePart>().Single(p => p.ContentType.MimeType == "image/png");
        Assert.Contains($"cid:{inline.ContentId}", message.HtmlBody, StringComparison.Ordinal);
    }
}
