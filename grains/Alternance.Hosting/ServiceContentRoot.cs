namespace Alternance.Hosting;

/// <summary>
/// Where a service reads its <c>appsettings.json</c>. ASP.NET Core looks in the working directory; a published service
/// started from elsewhere (the container's <c>WORKDIR /app</c> runs <c>/app/api/Alternance.Api.dll</c>) found none and ran
/// without its defaults: log levels among them, so every grain placement logged at Information.
/// </summary>
public static class ServiceContentRoot
{
    /// <summary>The working directory when it holds the settings (<c>dotnet run</c>, tests), else the service's own folder.</summary>
    public static string? Resolve() =>
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory;
}
