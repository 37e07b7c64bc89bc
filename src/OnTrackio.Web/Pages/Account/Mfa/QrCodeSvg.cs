using QRCoder;

namespace OnTrackio.Web.Pages.Account.Mfa;

/// <summary>
/// A QR code drawn on the server as inline SVG: the secret never goes to a third-party image service or into a URL that
/// a browser, proxy or log could keep.
/// </summary>
internal static class QrCodeSvg
{
    public static string Render(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
