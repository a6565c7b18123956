using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Alternance.Api.Mail;

/// <summary>Configuration section <c>Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The sender of every message.</summary>
    public string From { get; set; } = "La bonne alternance <nepasrepondre@labonnealternance.local>";

    /// <summary>Where the file transport writes its <c>.eml</c> files (when no SMTP host is configured).</summary>
    public string Folder { get; set; } = DefaultFolder();

    /// <summary>The public address of this service, for the links in the messages.</summary>
    public string PublicUrl { get; set; } = "http://localhost:8080";

    public SmtpOptions Smtp { get; set; } = new();

    public static string DefaultFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
            "alternance-cluster", "mail");
}

public sealed class SmtpOptions
{
    /// <summary>Set it to send through SMTP; empty means the file transport.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>MailKit's <see cref="SecureSocketOptions"/>: <c>Auto</c>, <c>None</c>, <c>SslOnConnect</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c>.</summary>
    public string Security { get; set; } = "Auto";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Delivers e-mails (applications, acknowledgements, appointment requests and replies).</summary>
public interface IMailTransport
{
    /// <summary>Delivers the message; answers its Message-Id. Throws when it could not be delivered.</summary>
    Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default);
}

/// <summary>The default transport: each message is an <c>.eml</c> file (RFC 5322) in <see cref="MailOptions.Folder"/>.</summary>
public sealed class FileMailTransport(IOptions<MailOptions> options, ILogger<FileMailTransport> logger) : IMailTransport
{
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        string folder = options.Value.Folder;
        Directory.CreateDirectory(folder);
        message.MessageId ??= MimeKit.Utils.MimeUtils.GenerateMessageId("labonnealternance.local");
        string name = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Safe(message.MessageId)}.eml";
        string path = Path.Combine(folder, name);
        string temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await message.WriteToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
        }
        // Readers never see a half-written message.
        File.Move(temporary, path);
        logger.LogInformation("Mail \"{Subject}\" written to {Path}", message.Subject, path);
        return message.MessageId;
    }

    private static string Safe(string id)
    {
        var chars = id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_').Take(80).ToArray();
        return new string(chars);
    }
}

/// <summary>SMTP through MailKit, when <c>Mail:Smtp:Host</c> is set.</summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options, ILogger<SmtpMailTransport> logger) : IMailTransport
{
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        SmtpOptions smtp = options.Value.Smtp;
        message.MessageId ??= MimeKit.Utils.MimeUtils.GenerateMessageId(smtp.Host ?? "labonnealternance.local");
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        SecureSocketOptions security = Enum.TryParse(smtp.Security, ignoreCase: true, out SecureSocketOptions parsed) ? parsed : SecureSocketOptions.Auto;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Mail \"{Subject}\" sent through {Host}", message.Subject, smtp.Host);
        return message.MessageId;
    }
}

public static class MailConfiguration
{
    /// <summary>SMTP when <c>Mail:Smtp:Host</c> is configured, else <c>.eml</c> files in <c>Mail:Folder</c>.</summary>
    public static IServiceCollection AddMailTransport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.AddSingleton<IMailTransport>(sp =>
        {
            MailOptions options = sp.GetRequiredService<IOptions<MailOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.Smtp.Host)
                ? ActivatorUtilities.CreateInstance<FileMailTransport>(sp)
                : ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp);
        });
        services.AddSingleton<MailComposer>();
        return services;
    }
}
