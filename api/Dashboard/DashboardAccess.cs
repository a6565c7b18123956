using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Orleans.Dashboard;

namespace Alternance.Api.Dashboard;

/// <summary>Who may open the Orleans dashboard (<c>Dashboard:Access</c>).</summary>
public enum DashboardAccess
{
    /// <summary>The default: requests from this machine only (a browser on the host, <c>kubectl port-forward</c>), never through a proxy.</summary>
    Loopback,
    /// <summary>Anyone who gives <c>Dashboard:Key</c> as the password of HTTP basic authentication (any user name).</summary>
    Key,
    /// <summary>Anyone: only behind an ingress or network policy that authenticates.</summary>
    Public,
}

/// <summary>Configuration section <c>Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The smallest key accepted: a dashboard key is typed by people, but must not be guessable.</summary>
    public const int MinimumKeyLength = 16;

    public DashboardAccess Access { get; set; } = DashboardAccess.Loopback;

    /// <summary>The password for <see cref="DashboardAccess.Key"/> (at least 16 characters); unused otherwise.</summary>
    public string? Key { get; set; }
}

public enum DashboardDecision
{
    Allow,
    /// <summary>401 with a basic-authentication challenge: the browser asks for the key.</summary>
    Challenge,
    /// <summary>403: not from this machine, or relayed by a proxy.</summary>
    Forbidden,
}

/// <summary>
/// Decides, per request, whether the dashboard answers. The dashboard shows every grain, silo and method of the
/// cluster and its live statistics: it is not public by default.
/// </summary>
public sealed class DashboardAccessPolicy
{
    /// <summary>
    /// Headers a reverse proxy adds. The peer of a proxied request is the proxy: a proxy on the same machine would make
    /// every outside request look local, so in <see cref="DashboardAccess.Loopback"/> mode a request carrying one is
    /// refused. The headers themselves are never trusted to say who the client is (anyone can send them).
    /// </summary>
    public static readonly string[] ForwardingHeaders = ["X-Forwarded-For", "Forwarded", "X-Real-IP"];

    private readonly DashboardAccess _access;
    private readonly byte[]? _keyHash;

    public DashboardAccessPolicy(DashboardOptions options)
    {
        _access = options.Access;
        if (_access == DashboardAccess.Key)
        {
            if (string.IsNullOrEmpty(options.Key) || options.Key.Length < DashboardOptions.MinimumKeyLength)
            {
                throw new InvalidOperationException(
                    $"Dashboard:Access is Key but Dashboard:Key is missing or shorter than {DashboardOptions.MinimumKeyLength} characters.");
            }
            _keyHash = SHA256.HashData(Encoding.UTF8.GetBytes(options.Key));
        }
    }

    public DashboardAccess Access => _access;

    public DashboardDecision Decide(IPAddress? remote, IHeaderDictionary headers) => _access switch
    {
        DashboardAccess.Public => DashboardDecision.Allow,
        DashboardAccess.Key => HasKey(headers) ? DashboardDecision.Allow : DashboardDecision.Challenge,
        _ => IsLoopback(remote) && !IsForwarded(headers) ? DashboardDecision.Allow : DashboardDecision.Forbidden,
    };

    private static bool IsLoopback(IPAddress? remote)
    {
        if (remote is null) return false;  // not a TCP peer (a Unix socket, a test server): not known to be local
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        return IPAddress.IsLoopback(remote);
    }

    private static bool IsForwarded(IHeaderDictionary headers)
    {
        foreach (string name in ForwardingHeaders)
        {
            if (headers.ContainsKey(name)) return true;
        }
        return false;
    }

    /// <summary><c>Authorization: Basic base64(user:key)</c>, any user name; compared in constant time.</summary>
    private bool HasKey(IHeaderDictionary headers)
    {
        StringValues authorization = headers.Authorization;
        if (authorization.Count != 1) return false;
        string value = authorization.ToString();
        const string scheme = "Basic ";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        int colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]));
        return CryptographicOperations.FixedTimeEquals(given, _keyHash);
    }
}

public static class DashboardEndpoints
{
    public const string Path = "/dashboard";

    public static IServiceCollection AddDashboardAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<DashboardOptions>(configuration.GetSection(DashboardOptions.Section));
        services.AddSingleton(sp => new DashboardAccessPolicy(sp.GetRequiredService<IOptions<DashboardOptions>>().Value));
        return services;
    }

    /// <summary>The Orleans dashboard at <c>/dashboard/</c>, behind <see cref="DashboardAccessPolicy"/> (its page and its JSON calls alike).</summary>
    public static WebApplication MapDashboard(this WebApplication app)
    {
        // Built now: a wrong Dashboard section stops the start with its message instead of failing the first visit.
        var policy = app.Services.GetRequiredService<DashboardAccessPolicy>();
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase), branch => branch.Use(next => context =>
        {
            switch (policy.Decide(context.Connection.RemoteIpAddress, context.Request.Headers))
            {
                case DashboardDecision.Allow:
                    return next(context);
                case DashboardDecision.Challenge:
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans dashboard\", charset=\"UTF-8\"";
                    return context.Response.WriteAsync("The dashboard needs its key (Dashboard:Key) as the password.");
                default:
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return context.Response.WriteAsync("The dashboard answers on this machine only (Dashboard:Access=Loopback): use kubectl port-forward or an SSH tunnel, or set Dashboard:Access=Key.");
            }
        }));
        app.MapOrleansDashboard(Path);
        return app;
    }
}
