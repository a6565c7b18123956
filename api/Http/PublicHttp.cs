using Alternance.Api.Errors;
using System.IO.Compression;
using Alternance.Api.Search;
using Microsoft.AspNetCore.ResponseCompression;

namespace Alternance.Api.Http;

/// <summary>
/// What reusers' clients expect of a public HTTP API beyond the contract: compressed answers (Brotli or gzip,
/// negotiated), CORS on the public read routes for pages of any origin, caching headers (the read routes set their
/// own; everything else under <c>/api</c> is <c>no-store</c>), and a front page.
/// </summary>
public static class PublicHttp
{
    /// <summary>The CORS policy of the public read routes: any origin, reads only, the headers browsers and reusers send.</summary>
    public const string ReadPolicy = "public-read";

    private static readonly string[] ReadHeaders =
        ["Accept", "Accept-Language", "Content-Type", "Authorization", "If-None-Match", "If-Modified-Since", "Cache-Control", "X-Requested-With"];

    public static IServiceCollection AddPublicHttp(this IServiceCollection services)
    {
        services.AddCors(cors => cors.AddPolicy(ReadPolicy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD")
            .WithHeaders(ReadHeaders)
            .WithExposedHeaders("ETag", "Retry-After", "Content-Length")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<FastBrotli>();
            options.Providers.Add<FastGzip>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "image/svg+xml", "application/geo+json"];
        });
        return services;
    }

    /// <summary>CORS, compression (but for the routes that encode their own answers), the <c>/api</c> caching default.</summary>
    public static WebApplication UsePublicHttp(this WebApplication app)
    {
        app.UseCors();
        app.UseWhen(context => context.GetEndpoint()?.Metadata.GetMetadata<SelfEncodedAnswer>() is null,
            branch => branch.UseResponseCompression());
        app.Use((context, next) =>
        {
            if (ApiErrorsConfiguration.IsApiPath(context.Request.Path))
            {
                context.Response.OnStarting(static state =>
                {
                    var response = (HttpResponse)state;
                    // Writes, personal data and errors are never kept by a cache unless a route said otherwise.
                    if (string.IsNullOrEmpty(response.Headers.CacheControl)) response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                }, context.Response);
            }
            return next(context);
        });
        return app;
    }

    /// <summary>Reference answers that change only with a release (métiers, appellations): cacheable for an hour.</summary>
    public static TBuilder CacheableForAnHour<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            invocation.HttpContext.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                if (response.StatusCode == StatusCodes.Status200OK) response.Headers.CacheControl = "public, max-age=3600";
                return Task.CompletedTask;
            }, invocation.HttpContext.Response);
            return await next(invocation);
        });

    /// <summary>Brotli at quality 0: the fastest, and smaller than gzip at its fastest level on JSON.</summary>
    private sealed class FastBrotli : ICompressionProvider
    {
        public string EncodingName => "br";

        public bool SupportsFlush => true;

        public Stream CreateStream(Stream outputStream) => new BrotliStream(outputStream, new BrotliCompressionOptions { Quality = 0 }, leaveOpen: true);
    }

    /// <summary>gzip at zlib level 1.</summary>
    private sealed class FastGzip : ICompressionProvider
    {
        public string EncodingName => "gzip";

        public bool SupportsFlush => true;

        public Stream CreateStream(Stream outputStream) => new GZipStream(outputStream, new ZLibCompressionOptions { CompressionLevel = 1 }, leaveOpen: true);
    }
}
