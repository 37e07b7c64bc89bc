using System.Collections;
using QRCoder;

namespace OnTrackio.Labels;

/// <summary>QR codes for asset labels, drawn here: no third-party image service ever sees a workspace's addresses.</summary>
public static class QrCodes
{
    /// <summary>Medium error correction: a label survives a scuff or a corner of tape and still scans.</summary>
    public const QRCodeGenerator.ECCLevel Correction = QRCodeGenerator.ECCLevel.M;

    /// <summary>The module matrix of <paramref name="text"/>, quiet zone included (true is dark), one row per list entry.</summary>
    public static IReadOnlyList<BitArray> Modules(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        return [.. data.ModuleMatrix.Select(row => new BitArray(row))];
    }

    /// <summary>A black-on-white 1-bit PNG of <paramref name="text"/>, with its quiet zone.</summary>
    public static byte[] Png(string text, int pixelsPerModule)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Correction);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(pixelsPerModule);
    }
}
