using System.Globalization;
using System.Net;
using System.Text;
using QRCoder;

namespace IdentityHub.Authentication.Totp;

/// <summary>
/// QR codes as inline SVG: one path of the dark modules with a presentation attribute for its colour, so the page needs
/// no inline style or script (the hub's Content-Security-Policy allows neither) and no image URL.
/// </summary>
public static class QrCodes
{
    public static string Svg(string text, string label)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        var path = new StringBuilder();
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                if (matrix[y][x])
                {
                    path.Append(CultureInfo.InvariantCulture, $"M{x} {y}h1v1h-1z");
                }
            }
        }

        return $"<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(label)}\" shape-rendering=\"crispEdges\">"
            + $"<rect width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/><path d=\"{path}\" fill=\"#0b0c0c\"/></svg>";
    }
}
