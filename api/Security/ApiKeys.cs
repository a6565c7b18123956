using System.Security.Cryptography;
using System.Text;

namespace Alternance.Api.Security;

/// <summary>A partner allowed to post offers (configuration <c>Partners:{n}</c>).</summary>
public sealed class PartnerOptions
{
    /// <summary>The partner's name: recorded as the recruiters' <c>origin</c> prefix, and the owner of what it creates.</summary>
    public string? Name { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The OPCO the partner stands for, if any (recorded on its recruiters).</summary>
    public string? Opco { get; set; }
}

/// <summary>Configuration section <c>Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The key of the import and delete routes; without one these routes answer 403 to everybody.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>The caller of a route protected by a key.</summary>
public sealed record Partner(string Name, string? Opco);

/// <summary>
/// API keys, sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key: &lt;key&gt;</c>: a request without one
/// answers 401, a request with an unknown one 403. Keys are compared by their SHA-256 in constant time.
/// </summary>
public sealed class ApiKeys
{
    private readonly List<(byte[] Hash, Partner Partner)> _partners = [];
    private readonly byte[]? _admin;

    public ApiKeys(IConfiguration configuration)
    {
        foreach (IConfigurationSection section in configuration.GetSection("Partners").GetChildren())
        {
            var options = section.Get<PartnerOptions>();
            if (options is { ApiKey: { Length: > 0 } key })
            {
                _partners.Add((Hash(key), new Partner(string.IsNullOrWhiteSpace(options.Name) ? section.Key : options.Name.Trim(), options.Opco)));
            }
        }
        string? admin = configuration.GetSection(AdminOptions.Section).Get<AdminOptions>()?.ApiKey;
        _admin = string.IsNullOrEmpty(admin) ? null : Hash(admin);
    }

    /// <summary>The key the request carries, or null.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (!string.IsNullOrWhiteSpace(authorization))
        {
            const string bearer = "Bearer ";
            string value = authorization.Trim();
            return value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? value[bearer.Length..].Trim() : value;
        }
        string? header = request.Headers["x-api-key"];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }

    /// <summary>The partner of the request, or the 401/403 to answer.</summary>
    public (Partner? Partner, IResult? Failure) AuthenticatePartner(HttpRequest request)
    {
        string? key = KeyOf(request);
        if (key is null)
        {
            return (null, Boom.Unauthorized());
        }
        byte[] hash = Hash(key);
        Partner? found = null;
        foreach (var (known, partner) in _partners)
        {
            // Every key is compared, so that the time taken says nothing about which one matched.
            if (CryptographicOperations.FixedTimeEquals(known, hash)) found = partner;
        }
        return found is null ? (null, Boom.Forbidden()) : (found, null);
    }

    /// <summary>Null when the request carries the admin key, else the 401/403 to answer.</summary>
    public IResult? AuthenticateAdmin(HttpRequest request)
    {
        string? key = KeyOf(request);
        if (key is null)
        {
            return Boom.Unauthorized();
        }
        return _admin is not null && CryptographicOperations.FixedTimeEquals(_admin, Hash(key)) ? null : Boom.Forbidden();
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
