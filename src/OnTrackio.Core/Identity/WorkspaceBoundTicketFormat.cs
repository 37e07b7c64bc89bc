using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OnTrackio.Tenancy;

namespace OnTrackio.Identity;

/// <summary>
/// Protects authentication cookies with a purpose that names the request's workspace, so a valid cookie copied from
/// workspace A to B's host does not even decrypt there: it reads as no cookie at all.
/// </summary>
internal sealed class WorkspaceBoundTicketFormat(IDataProtectionProvider provider, IHttpContextAccessor accessor, string scheme)
    : ISecureDataFormat<AuthenticationTicket>
{
    public string Protect(AuthenticationTicket data) => Protect(data, purpose: null);

    public string Protect(AuthenticationTicket data, string? purpose) =>
        Base64Url.EncodeToString(Protector(purpose).Protect(TicketSerializer.Default.Serialize(data)));

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(Protector(purpose).Unprotect(Base64Url.DecodeFromChars(protectedText)));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    private IDataProtector Protector(string? purpose)
    {
        var workspace = (accessor.HttpContext ?? throw new InvalidOperationException("Cookies are protected only inside a request."))
            .RequestServices.GetRequiredService<WorkspaceContext>().Current;
        var protector = provider.CreateProtector("OnTrackio.Identity.Cookie", scheme, workspace.Id.ToString("N"));
        return purpose is null ? protector : protector.CreateProtector(purpose);
    }
}
