using Alternance.Api.Validation;

namespace Alternance.Api.Search;

/// <summary>
/// Turns a validated request into the engine's source queries (docs/contract.md#search-routes): limits, radius rules, listing areas,
/// filters. One query per requested source, all sent to the engine in one call.
/// </summary>
public static class SearchPlanner
{
    public const int FormationLimit = 500;
    public const int PeJobLimit = 150;
    public const int CompanyLimit = 150;
    /// <summary>Posted offers: the jobs of the nearest 250 recruiters.</summary>
    public const int MatchaRecruiterLimit = 250;
    /// <summary>Training searches with coordinates and no radius.</summary>
    public const double DefaultFormationRadiusKm = 30;
    /// <summary>Radius 0 on a jobs search.</summary>
    public const double ZeroJobRadiusKm = 10;

    /// <summary>The query for each source (indexed by <see cref="Source"/>), null when not requested.</summary>
    public static SourceQuery?[] Plan(SearchRequest request)
    {
        var queries = new SourceQuery?[Sources.Count];
        if (request.NoRomeMatches)
        {
            return queries;
        }
        if ((request.Sources & SourceSet.Formations) != 0)
        {
            queries[(int)Source.Formation] = Base(request, Source.Formation, FormationRadius(request), FormationLimit) with
            {
                RomeDomain = request.RomeDomain,
                PostalPrefixes = request.PostalPrefixes,
            };
        }
        double jobRadius = JobRadius(request);
        if ((request.Sources & SourceSet.PeJobs) != 0)
        {
            queries[(int)Source.PeJob] = Base(request, Source.PeJob, jobRadius, PeJobLimit) with
            {
                Opco = request.Opco,
                OpcoUrl = request.OpcoUrl,
            };
        }
        if ((request.Sources & SourceSet.Matchas) != 0)
        {
            queries[(int)Source.Matcha] = Base(request, Source.Matcha, jobRadius, MatchaRecruiterLimit) with
            {
                Opco = request.Opco,
                OpcoUrl = request.OpcoUrl,
                // Posted offers only when published for third parties: every search has a caller (a request without one is
                // a 400), and La Bonne Alternance restricts callers so (docs/contract.md#callers).
                MultiPublishedOnly = true,
            };
        }
        if ((request.Sources & SourceSet.Companies) != 0)
        {
            queries[(int)Source.Company] = Base(request, Source.Company, jobRadius, CompanyLimit) with
            {
                Opco = request.Opco,
                OpcoUrl = request.OpcoUrl,
            };
        }
        return queries;
    }

    private static SourceQuery Base(SearchRequest request, Source source, double radius, int limit) => new()
    {
        Source = source,
        Area = request.HasCenter ? SearchArea.Radius : SearchArea.Listing,
        Latitude = request.HasCenter ? request.Latitude : 0,
        Longitude = request.HasCenter ? request.Longitude : 0,
        RadiusKm = request.HasCenter ? radius : 0,
        Romes = request.Romes,
        DiplomaLevel = request.DiplomaLevel,
        Limit = limit,
    };

    /// <summary>Missing: 30 km; 0: the point itself (then the engine's widening applies).</summary>
    private static double FormationRadius(SearchRequest request) => request.Radius ?? DefaultFormationRadiusKm;

    /// <summary>0 (or missing, where allowed) means 10 km for every job source.</summary>
    private static double JobRadius(SearchRequest request) => request.Radius is double r && r > 0 ? r : ZeroJobRadiusKm;
}
