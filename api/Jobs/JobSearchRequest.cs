using Alternance.Api.Security;
using Alternance.Api.Validation;
using Alternance.Data;
using Microsoft.Extensions.Primitives;

namespace Alternance.Api.Jobs;

/// <summary>
/// A validated <c>GET /api/v3/jobs/search</c> (docs/contract.md#v3-and-v2, La bonne alternance's <c>zJobSearchApiV3Query</c>):
/// <c>latitude</c>/<c>longitude</c> both or neither, <c>radius</c> 0..200 (30 by default), <c>target_diploma_level</c>
/// (European level 3..7), <c>romes</c> (comma-separated), <c>rncp</c>, <c>departements</c> and <c>partners_to_exclude</c>
/// (repeated or comma-separated), <c>opco</c> (LBA's label, or its short name), <c>elligibleHandicapFilter</c>.
/// </summary>
public sealed class JobSearchRequest
{
    /// <summary>Offers per source (posted, national) and companies: La bonne alternance's cap.</summary>
    public const int PerSourceLimit = 150;
    public const double DefaultRadiusKm = 30;

    private static readonly string[] EuropeanLevels = ["3", "4", "5", "6", "7"];

    public double? Latitude { get; private set; }
    public double? Longitude { get; private set; }
    public double RadiusKm { get; private set; } = DefaultRadiusKm;
    public int DiplomaLevel { get; private set; }
    /// <summary>ROME codes from <c>romes</c> and the <c>rncp</c>'s; empty: any.</summary>
    public string[] Romes { get; private set; } = [];
    /// <summary>The <c>rncp</c> was given, is known, and files no ROME code: nothing matches.</summary>
    public bool NoRomeMatches { get; private set; }
    public string[] PostalPrefixes { get; private set; } = [];
    public string? Opco { get; private set; }
    public bool DisabledElligibleOnly { get; private set; }
    /// <summary>The <c>partner_label</c>s of posted offers to leave out (La bonne alternance's own, or a partner's).</summary>
    public string[] ExcludedPartners { get; private set; } = [];
    public bool WithNationalOffers { get; private set; } = true;
    public bool WithRecruiters { get; private set; } = true;

    public bool HasCenter => Latitude is not null && Longitude is not null;

    /// <summary>
    /// Reads and checks the query; answers the request, or the 400 to send: La bonne alternance's (zod's) body for the
    /// query string, or its "unknown RNCP" error.
    /// </summary>
    public static (JobSearchRequest? Request, IResult? Error) Read(IQueryCollection query, ReferenceData reference)
    {
        var v = new BodyValidator(default, "querystring");
        var request = new JobSearchRequest();
        request.Latitude = Coordinate(v, query, "latitude", 90, "Latitude doit être comprise entre -90 et 90");
        request.Longitude = Coordinate(v, query, "longitude", 180, "Longitude doit être comprise entre -180 et 180");
        bool latitudeGiven = SearchValidator.Value(query, "latitude") is not null;
        bool longitudeGiven = SearchValidator.Value(query, "longitude") is not null;
        if (latitudeGiven && !longitudeGiven) v.Add("longitude", "longitude is required when latitude is provided");
        if (longitudeGiven && !latitudeGiven) v.Add("latitude", "latitude is required when longitude is provided");

        if (SearchValidator.Value(query, "radius") is { } radius)
        {
            if (!SearchValidator.TryParseNumber(radius, out double r)) v.Add("radius", "Number attendu", "invalid_type");
            else if (r < 0) v.Add("radius", "Number must be greater than or equal to 0", "too_small");
            else if (r > 200) v.Add("radius", "Number must be less than or equal to 200", "too_big");
            else request.RadiusKm = r;
        }

        if (SearchValidator.Value(query, "target_diploma_level") is { } level)
        {
            if (Array.IndexOf(EuropeanLevels, level) < 0) v.Add("target_diploma_level", BodyValidator.EnumMessage(EuropeanLevels, level), "invalid_enum_value");
            else request.DiplomaLevel = level[0] - '0';
        }

        var romes = new List<string>();
        if (SearchValidator.Value(query, "romes") is { } codes)
        {
            bool valid = true;
            foreach (string code in codes.Split(','))
            {
                string trimmed = code.Trim();
                if (!RomeCode.HasShape(trimmed)) valid = false;
                else if (!romes.Contains(trimmed)) romes.Add(trimmed);
            }
            if (!valid) v.Add("romes", "One or more ROME codes are invalid. Expected format is 'D1234'.");
        }
        string? rncp = SearchValidator.Value(query, "rncp");
        if (rncp is not null && !IsRncp(rncp))
        {
            v.Add("rncp", "Code RNCP invalide", "invalid_string");
            rncp = null;
        }

        if (SearchValidator.Value(query, "opco") is { } opco)
        {
            // LBA's labels (its enum), and their short names, which this service's other routes use.
            if (OpcoKeys.Labels.Contains(opco) || OpcoKeys.ShortNames.Contains(opco.ToUpperInvariant())) request.Opco = OpcoKeys.ToKey(opco);
            else v.Add("opco", BodyValidator.EnumMessage(OpcoKeys.Labels, opco), "invalid_enum_value");
        }

        if (SearchValidator.Value(query, "elligibleHandicapFilter") is { } handicap)
        {
            if (handicap is "true" or "1") request.DisabledElligibleOnly = true;
            else if (handicap is not ("false" or "0")) v.Add("elligibleHandicapFilter", "Boolean attendu", "invalid_type");
        }

        var excluded = new List<string>();
        foreach (string partner in List(query, "partners_to_exclude"))
        {
            if (partner == Json.V3ItemWriter.FranceTravail) request.WithNationalOffers = false;
            else if (partner == Json.V3ItemWriter.LbaCompanies) request.WithRecruiters = false;
            else excluded.Add(partner);
        }
        request.ExcludedPartners = [.. excluded];
        var prefixes = new List<string>();
        foreach (string departement in List(query, "departements"))
        {
            // Corsica's départements share the postal codes 20xxx.
            string prefix = departement.ToUpperInvariant() is "2A" or "2B" ? "20" : departement;
            if (!prefixes.Contains(prefix)) prefixes.Add(prefix);
        }
        request.PostalPrefixes = [.. prefixes];

        if (v.HasIssues) return (null, v.ToResult());

        if (rncp is not null)
        {
            RncpCertification? certification = reference.FindRncp(rncp);
            if (certification is null)
            {
                return (null, Boom.Result(StatusCodes.Status400BadRequest, "Cannot find an active Certification for the given RNCP", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("rncp", rncp);
                    w.WriteEndObject();
                }));
            }
            foreach (string code in certification.RomeCodesV4) if (!romes.Contains(code)) romes.Add(code);
            request.NoRomeMatches = romes.Count == 0;
        }
        request.Romes = [.. romes];
        return (request, null);
    }

    /// <summary>The engine's queries: posted offers, national offers, companies (null where not asked for).</summary>
    public (SourceQuery? Offers, SourceQuery? National, SourceQuery? Recruiters) Plan()
    {
        if (NoRomeMatches) return (null, null, null);
        SourceQuery Base(Source source) => new()
        {
            Source = source,
            Area = HasCenter ? SearchArea.Radius : SearchArea.Listing,
            Latitude = Latitude ?? 0,
            Longitude = Longitude ?? 0,
            RadiusKm = HasCenter ? RadiusKm : 0,
            Romes = Romes,
            PostalPrefixes = PostalPrefixes,
            Opco = Opco,
            Limit = PerSourceLimit,
        };
        return (
            // The limit counts recruiters for posted offers: every job of the 150 nearest recruiters includes the 150
            // nearest jobs, which the route keeps.
            Base(Source.Matcha) with
            {
                DiplomaLevel = DiplomaLevel, MultiPublishedOnly = true, NewestFirst = true, DisabledElligibleOnly = DisabledElligibleOnly,
                ExcludedPartners = ExcludedPartners,
            },
            WithNationalOffers ? Base(Source.PeJob) with
            {
                DiplomaLevel = DiplomaLevel, NewestFirst = true, DisabledElligibleOnly = DisabledElligibleOnly,
            } : null,
            WithRecruiters ? Base(Source.Company) : null);
    }

    private static double? Coordinate(BodyValidator v, IQueryCollection query, string name, double bound, string rangeMessage)
    {
        if (SearchValidator.Value(query, name) is not { } text) return null;
        if (!SearchValidator.TryParseNumber(text, out double value))
        {
            v.Add(name, "Number attendu", "invalid_type");
            return null;
        }
        if (value < -bound) { v.Add(name, rangeMessage, "too_small"); return null; }
        if (value > bound) { v.Add(name, rangeMessage, "too_big"); return null; }
        return value;
    }

    /// <summary>A list parameter: repeated (<c>?a=1&amp;a=2</c>) or comma-separated, trimmed, without empties.</summary>
    private static List<string> List(IQueryCollection query, string name)
    {
        var values = new List<string>();
        if (!query.TryGetValue(name, out StringValues raw)) return values;
        foreach (string? value in raw)
        {
            if (value is null) continue;
            foreach (string part in value.Split(','))
            {
                string trimmed = part.Trim();
                if (trimmed.Length > 0 && !values.Contains(trimmed)) values.Add(trimmed);
            }
        }
        return values;
    }

    /// <summary><c>^RNCP\d{2,5}$</c></summary>
    private static bool IsRncp(string s)
    {
        if (s.Length < 6 || s.Length > 9 || !s.StartsWith("RNCP", StringComparison.Ordinal)) return false;
        for (int i = 4; i < s.Length; i++) if (!char.IsAsciiDigit(s[i])) return false;
        return true;
    }
}
