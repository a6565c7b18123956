using MimeKit;

namespace Alternance.Api.Writes.Tests;

/// <summary>Reads the messages the file transport wrote.</summary>
public static class Mails
{
    public static List<MimeMessage> To(string folder, string address)
    {
        var found = new List<MimeMessage>();
        if (!Directory.Exists(folder)) return found;
        foreach (string path in Directory.EnumerateFiles(folder, "*.eml"))
        {
            MimeMessage message = MimeMessage.Load(path);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(message);
            }
        }
        return found;
    }

    public static byte[] AttachmentBytes(MimeEntity attachment)
    {
        var part = (MimePart)attachment;
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
