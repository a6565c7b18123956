using System.Net;

namespace Alternance.Api.Tests;

/// <summary>What an operator's Prometheus scrapes at <c>/metrics</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricsTests(ApiHost host)
{
    [Fact]
    public async Task The_metrics_page_describes_requests_searches_grains_and_the_runtime_but_not_each_pooled_block()
    {
        using (HttpResponseMessage search = await host.Http.GetAsync("/api/v1/jobs?caller=metrics&romes=M1607&latitude=48.85&longitude=2.35&radius=30"))
        {
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            await search.Content.ReadAsByteArrayAsync();
        }

        // The exporter collects on scrape; a request that ended just before may land in the next one.
        string page = "";
        for (int attempt = 0; attempt < 20 && !page.Contains("http_route=\"/api/v1/jobs\"", StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0) await Task.Delay(250);
            using HttpResponseMessage metrics = await host.Http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            page = await metrics.Content.ReadAsStringAsync();
        }

        Assert.Contains("http_server_request_duration_seconds_count{", page);
        Assert.Contains("http_route=\"/api/v1/jobs\"", page);
        Assert.Contains("alternance_search_cells", page);
        Assert.Contains("alternance_search_queries_total", page);
        Assert.Contains("orleans_app_requests_latency", page);
        Assert.Contains("dotnet_gc_collections_total", page);
        // Kestrel's pool counts every 4 KB block rented and returned: dropped (a few % of a big answer's CPU).
        Assert.DoesNotContain("aspnetcore_memory_pool_rented", page);
        Assert.DoesNotContain("aspnetcore_memory_pool_pooled", page);
    }
}
