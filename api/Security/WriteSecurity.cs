namespace Alternance.Api.Security;

public static class WriteSecurityConfiguration
{
    /// <summary>API keys (partners, admin) and the rate limits.</summary>
    public static IServiceCollection AddWriteSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new ApiKeys(configuration));
        services.AddApiRateLimits(configuration);
        return services;
    }
}
