using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using OnTrackio.Dashboard;

namespace OnTrackio.Web.Pages;

/// <summary>
/// A horizontal bar chart drawn on the server as inline SVG: no script, no chart library, nothing fetched. The SVG is
/// an image with a title and description for assistive technology; the page puts the same figures in a table beside it.
/// </summary>
internal static class DashboardChart
{
    private const int Width = 520;
    private const int LabelWidth = 150;
    private const int ValueWidth = 50;
    private const int RowHeight = 28;
    private const int BarHeight = 18;

    public static IHtmlContent Bars(string id, string title, IReadOnlyList<ChartBar> bars)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var html = HtmlEncoder.Default;
        var max = Math.Max(1, bars.Count == 0 ? 1 : bars.Max(b => b.Count));
        var height = Math.Max(1, bars.Count) * RowHeight;
        var description = bars.Count == 0
            ? "No assets yet."
            : string.Join("; ", bars.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Label}: {b.Count}"))) + ".";
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{html.Encode(title)}</title><desc id=\"{id}-desc\">{html.Encode(description)}</desc>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = i * RowHeight;
            var length = (int)Math.Round((double)bars[i].Count / max * (Width - LabelWidth - ValueWidth));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + (RowHeight / 2) + 5}\" text-anchor=\"end\">{html.Encode(bars[i].Label)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + ((RowHeight - BarHeight) / 2)}\" width=\"{Math.Max(length, bars[i].Count > 0 ? 2 : 0)}\" height=\"{BarHeight}\" rx=\"2\"></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + length + 6}\" y=\"{y + (RowHeight / 2) + 5}\">{bars[i].Count}</text>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
