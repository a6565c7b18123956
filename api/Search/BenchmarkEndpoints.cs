using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Alternance.Api.Search;

/// <summary>
/// A hidden route for the HTTP benchmark (tests/Alternance.Benchmarks, <c>http</c> mode), mapped only when
/// <c>Benchmarks:Enabled=true</c>: <c>GET /__benchmarks/static?bytes=N</c> answers a pre-built JSON body of N bytes
/// into the response pipe as the search routes write theirs, so a search's cost can be told from the server's floor.
/// </summary>
public static class BenchmarkEndpoints
{
    public static IEndpointRouteBuilder MapBenchmarkRoutes(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (!configuration.GetValue("Benchmarks:Enabled", false))
        {
            return app;
        }
        var bodies = new ConcurrentDictionary<int, byte[]>();
        app.MapGet("/__benchmarks/static", async (HttpContext context) =>
        {
            int bytes = int.TryParse(context.Request.Query["bytes"], out int n) ? Math.Clamp(n, 16, 16 * 1024 * 1024) : 1024;
            byte[] body = bodies.GetOrAdd(bytes, Build);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            // As a search answer is sent (SearchAnswer): headers, the body into one buffer of the response pipe, one flush.
            await context.Response.StartAsync(context.RequestAborted);
            body.CopyTo(context.Response.BodyWriter.GetSpan(body.Length));
            context.Response.BodyWriter.Advance(body.Length);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary><c>{"results":[{"pad":"xxx..."}]}</c> padded to exactly <paramref name="bytes"/>.</summary>
    private static byte[] Build(int bytes)
    {
        const string head = "{\"results\":[{\"pad\":\"";
        const string tail = "\"}]}";
        int pad = Math.Max(0, bytes - head.Length - tail.Length);
        return Encoding.UTF8.GetBytes(head + new string('x', pad) + tail);
    }
}
