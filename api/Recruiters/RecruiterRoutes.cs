using Alternance.Api.Json;
using Alternance.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Alternance.Api.Recruiters;

/// <summary>Configuration section <c>Recruiters</c>.</summary>
public sealed class RecruiterWriteOptions
{
    public const string Section = "Recruiters";

    /// <summary>How often this node asks the expiry schedule for offers whose two months are over.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

public static class RecruiterRoutes
{
    public static IServiceCollection AddRecruiterWrites(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => ReferenceData.Load());
        services.TryAddSingleton<IContactProtector>(sp => AesCtrContactProtector.FromConfiguration(
            configuration.GetSection(PrivacyOptions.Section).Get<PrivacyOptions>() ?? new PrivacyOptions(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Alternance.Api.Privacy")));
        services.Configure<RecruiterWriteOptions>(configuration.GetSection(RecruiterWriteOptions.Section));
        services.AddSingleton<RecruiterService>();
        services.AddSingleton<RecruiterBulk>();
        services.AddHostedService<OfferExpiryService>();
        return services;
    }

    public static IEndpointRouteBuilder MapRecruiterRoutes(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder jobs = app.MapGroup("/api/v1/jobs").WithTags("V1 - Jobs (write)");
        jobs.MapPost("/establishment", (HttpContext c, RecruiterService s) => s.CreateEstablishment(c));
        jobs.MapGet("/bulk", (HttpContext c, RecruiterBulk b) => b.Page(c))
            .WithSummary("The recruiters of the key's OPCO, a page at a time")
            .WithDescription("page (from 1), limit (1..100, 10 by default): {data: [recruiter documents with their offers], pagination: "
                + "{page, result_per_page, number_of_page, total}}. The key must stand for an OPCO (Partners:n:Opco); query and select are not supported.")
            .Produces<Docs.RecruitersPageDoc>(200);
        jobs.MapPost("/provided/{jobId}", (string jobId, HttpContext c, RecruiterService s) => s.Lifecycle(c, jobId, JobAction.Provided));
        jobs.MapPost("/canceled/{jobId}", (string jobId, HttpContext c, RecruiterService s) => s.Lifecycle(c, jobId, JobAction.Canceled));
        jobs.MapPost("/extend/{jobId}", (string jobId, HttpContext c, RecruiterService s) => s.Lifecycle(c, jobId, JobAction.Extend));
        jobs.MapPost("/{establishmentId}", (string establishmentId, HttpContext c, RecruiterService s) => s.CreateJob(c, establishmentId));
        jobs.MapPatch("/{jobId}", (string jobId, HttpContext c, RecruiterService s) => s.PatchJob(c, jobId));
        return app;
    }
}

/// <summary>
/// Takes offers out of search when their two months are over: asks the expiry schedule what is due (a cheap call when
/// nothing is) and lets each recruiter concerned expire its jobs. Every API node runs it; the work is idempotent.
/// </summary>
public sealed class OfferExpiryService(
    IGrainFactory grains,
    Alternance.Search.DirectoryCache directory,
    IOptions<RecruiterWriteOptions> options,
    ILogger<OfferExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.ExpiryCheckInterval, stoppingToken);
                await SweepOnce();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The cluster may be starting or a silo moving grains: next tick.
                logger.LogDebug(e, "Offer expiry check failed");
            }
        }
    }

    /// <summary>One pass over the schedule; answers how many recruiters had jobs due.</summary>
    public async Task<int> SweepOnce()
    {
        var due = await Task.WhenAll(Enumerable.Range(0, IOfferExpiryGrain.Shards)
            .Select(shard => grains.GetGrain<IOfferExpiryGrain>(shard).Due().AsTask()));
        string[] establishments = due.SelectMany(d => d).Distinct().ToArray();
        if (establishments.Length == 0) return 0;
        await Task.WhenAll(establishments.Select(e => grains.GetGrain<IRecruiterGrain>(e).ExpireDue()));
        await directory.RefreshAsync();
        return establishments.Length;
    }
}
