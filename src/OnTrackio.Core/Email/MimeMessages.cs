using System.Net;
using MimeKit;

namespace OnTrackio.Email;

internal static class MimeMessages
{
    public static MimeMessage From(EmailOptions options, EmailMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = message.Branding is { } branding ? Branded(message, branding) : new TextPart("plain") { Text = message.TextBody };
        return mime;
    }

    /// <summary>
    /// The text as it is, plus an HTML alternative: the workspace's name on a band of its accent colour, its logo inline,
    /// and the same text, HTML-encoded line by line (so a link is shown, not made clickable: the text is the contract).
    /// </summary>
    private static MimeEntity Branded(EmailMessage message, EmailBranding branding)
    {
        var builder = new BodyBuilder { TextBody = message.TextBody };
        var colour = branding.AccentColour ?? "#1f2937";
        var logo = string.Empty;
        if (!branding.Logo.IsEmpty && branding.LogoContentType is { } type)
        {
            var resource = builder.LinkedResources.Add("logo", branding.Logo.ToArray(), ContentType.Parse(type));
            resource.ContentId = MimeKit.Utils.MimeUtils.GenerateMessageId();
            logo = $"<img src=\"cid:{resource.ContentId}\" alt=\"\" height=\"32\" style=\"vertical-align:middle;margin-right:8px\">";
        }

        var body = string.Join("<br>\n", message.TextBody.Split('\n').Select(line => WebUtility.HtmlEncode(line.TrimEnd('\r'))));
        builder.HtmlBody =
            "<!DOCTYPE html><html><body style=\"font-family:sans-serif;margin:0\">" +
            $"<div style=\"background:{colour};color:#ffffff;padding:12px 16px;font-weight:bold\">{logo}{WebUtility.HtmlEncode(branding.WorkspaceName)}</div>" +
            $"<div style=\"padding:16px\">{body}</div></body></html>";
        return builder.ToMessageBody();
    }
}
