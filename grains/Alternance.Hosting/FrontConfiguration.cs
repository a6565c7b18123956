using Microsoft.Extensions.DependencyInjection.Extensions;
using Alternance.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Alternance.Hosting;

public static class FrontConfiguration
{
    /// <summary>The front-side services of the engine: directory cache and poller, planner, engine, importer, feed gauges.</summary>
    public static IServiceCollection AddSearchFront(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SearchOptions>(configuration.GetSection(SearchOptions.Section));
        services.Configure<TextSearchOptions>(configuration.GetSection(TextSearchOptions.Section));
        services.AddSingleton<DirectoryCache>();
        services.AddSingleton<CoverPlanner>();
        services.AddSingleton<EngineMetrics>();
        services.AddSingleton<SearchEngine>();
        services.TryAddSingleton<Alternance.Text.TextAnalyzer>();
        services.AddSingleton<TextCollections>();
        services.AddSingleton<TextSearchEngine>();
        services.AddSingleton<FeedImporter>();
        services.AddHostedService<DirectoryPoller>();
        services.AddHostedService<FeedMetrics>();
        return services;
    }
}
