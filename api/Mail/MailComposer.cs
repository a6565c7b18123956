using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alternance.Api.Mail;

/// <summary>Builds the messages: a plain-text and an HTML body, an optional attachment.</summary>
public sealed class MailComposer(IOptions<MailOptions> options)
{
    public string PublicUrl => options.Value.PublicUrl.TrimEnd('/');

    public MimeMessage Compose(string to, string subject, IReadOnlyList<string> paragraphs, (string Name, byte[] Content)? attachment = null, string? replyTo = null)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Value.From));
        message.To.Add(MailboxAddress.Parse(to));
        if (replyTo is not null)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }
        message.Subject = subject;
        var body = new BodyBuilder
        {
            TextBody = string.Join("\n\n", paragraphs) + "\n",
            HtmlBody = "<!DOCTYPE html><html><body>" +
                string.Concat(paragraphs.Select(p => "<p>" + WebUtility.HtmlEncode(p).Replace("\n", "<br>", StringComparison.Ordinal) + "</p>")) +
                "</body></html>",
        };
        if (attachment is { } file)
        {
            body.Attachments.Add(file.Name, file.Content, ContentTypeOf(file.Name));
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    private static ContentType ContentTypeOf(string name) =>
        name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)
            ? new ContentType("application", "pdf")
            : name.EndsWith(".docx", StringComparison.OrdinalIgnoreCase)
                ? new ContentType("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
                : new ContentType("application", "octet-stream");
}
