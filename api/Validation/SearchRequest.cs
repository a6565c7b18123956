using System.Globalization;
using Alternance.Data;
using Microsoft.Extensions.Primitives;

namespace Alternance.Api.Validation;

/// <summary>The four search routes, whose parameters and rules differ a little (docs/contract.md#search-routes).</summary>
public enum SearchKind : byte { Formations, FormationsParRegion, Jobs, JobsEtFormations, JobsV3 }

/// <summary>Which sources a request asked for.</summary>
[Flags]
public enum SourceSet : byte
{
    None = 0,
    Formations = 1,
    PeJobs = 2,
    Matchas = 4,
    Companies = 8,
    Jobs = PeJobs | Matchas | Companies,
    All = Formations | Jobs,
}

/// <summary>A search request once validated: what the planner turns into source queries.</summary>
public sealed class SearchRequest
{
    public required SearchKind Kind { get; init; }
    public string Caller { get; set; } = "";
    /// <summary>Upper-case ROME codes (from <c>romes</c>, or resolved from <c>rncp</c>), without duplicates.</summary>
    public string[] Romes { get; set; } = [];
    public string? RomeDomain { get; set; }
    /// <summary>The <c>rncp</c> was given, is known, but files no ROME code: the answer is empty.</summary>
    public bool NoRomeMatches { get; set; }
    public bool HasCenter { get; set; }
    public double Latitude { get; set; }
    public double Longitude { get; set; }
    /// <summary>The radius as given (km), null when absent.</summary>
    public double? Radius { get; set; }
    public int DiplomaLevel { get; set; }
    public SourceSet Sources { get; set; }
    public string? Opco { get; set; }
    public string? OpcoUrl { get; set; }
    public bool WithDescription { get; set; }
    /// <summary>formationsParRegion: postal-code prefixes of the région or département; empty France-wide.</summary>
    public string[] PostalPrefixes { get; set; } = [];
}

/// <summary>
/// Reads and checks a search's query string, accumulating every message (docs/contract.md#validation-messages). Query values
/// are read as text and parsed here, so a type error is a message, never a binding failure.
/// </summary>
public static class SearchValidator
{
    public const int MaxRomes = 20;

    /// <summary>Region → département postal prefixes (docs/contract.md#regions), the allowed <c>region</c> values.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> RegionPrefixes = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["84"] = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"],
        ["27"] = ["21", "25", "39", "58", "70", "71", "89", "90"],
        ["53"] = ["22", "29", "35", "56"],
        ["24"] = ["18", "28", "36", "37", "41", "45"],
        ["94"] = ["20"],
        ["44"] = ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
        ["32"] = ["02", "59", "60", "62", "80"],
        ["11"] = ["75", "77", "78", "91", "92", "93", "94", "95"],
        ["28"] = ["14", "27", "50", "61", "76"],
        ["75"] = ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"],
        ["76"] = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"],
        ["52"] = ["44", "49", "53", "72", "85"],
        ["93"] = ["04", "05", "06", "13", "83", "84"],
        ["01"] = ["971"],
        ["02"] = ["972"],
        ["03"] = ["973"],
        ["04"] = ["974"],
        ["06"] = ["976"],
    };

    public static SearchRequest Validate(SearchKind kind, IQueryCollection query, ReferenceData reference, List<string> errors)
    {
        var request = new SearchRequest { Kind = kind };
        request.Caller = ReadCaller(query, errors) ?? "";

        string? romes = Value(query, "romes");
        string? romeDomain = kind is SearchKind.Formations or SearchKind.FormationsParRegion ? Value(query, "romeDomain") : null;
        string? rncp = kind is SearchKind.Jobs or SearchKind.JobsEtFormations ? Value(query, "rncp") : null;

        if (kind is SearchKind.Formations or SearchKind.FormationsParRegion)
        {
            if (romes is not null && romeDomain is not null) errors.Add(Messages.RomesOrDomainBoth);
            else if (romes is null && romeDomain is null && kind == SearchKind.Formations) errors.Add(Messages.RomesOrDomainNone);
        }
        else
        {
            if (romes is not null && rncp is not null) errors.Add(Messages.RomesOrRncpBoth);
            else if (romes is null && rncp is null) errors.Add(Messages.RomesOrRncpNone);
        }
        if (romes is not null) request.Romes = ParseRomes(romes, errors);
        if (romeDomain is not null)
        {
            if (IsRomeDomain(romeDomain)) request.RomeDomain = romeDomain.ToUpperInvariant();
            else errors.Add(Messages.RomeDomainBadFormat);
        }
        if (rncp is not null && romes is null)
        {
            ResolveRncp(rncp, reference, request, errors);
        }

        if (kind == SearchKind.FormationsParRegion)
        {
            ReadRegion(query, romes is not null || romeDomain is not null, request, errors);
        }
        else
        {
            ReadLocation(kind, query, reference, request, errors);
        }

        ReadDiploma(query, request, errors);
        if (kind is SearchKind.Jobs or SearchKind.JobsEtFormations)
        {
            request.Sources = ReadSources(kind, query, errors);
            request.Opco = OpcoKeys.ToKey(Value(query, "opco"));
            request.OpcoUrl = Value(query, "opcoUrl")?.ToLowerInvariant();
        }
        else
        {
            request.Sources = SourceSet.Formations;
        }
        if (kind != SearchKind.Jobs)
        {
            request.WithDescription = string.Equals(Value(query, "options"), "with_description", StringComparison.OrdinalIgnoreCase);
        }
        return request;
    }

    /// <summary>A trimmed parameter, null when absent or blank; repeated parameters are joined with commas.</summary>
    public static string? Value(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out StringValues values) || values.Count == 0) return null;
        string? joined = values.Count == 1 ? values[0] : string.Join(',', values.ToArray());
        if (joined is null) return null;
        joined = joined.Trim();
        return joined.Length == 0 ? null : joined;
    }

    public static string? ReadCaller(IQueryCollection query, List<string> errors)
    {
        string? caller = Value(query, "caller");
        if (caller is null) errors.Add(Messages.CallerMissing);
        return caller;
    }

    /// <summary>Checks the count and the reference's regex; answers the codes upper-cased, without duplicates.</summary>
    public static string[] ParseRomes(string romes, List<string> errors)
    {
        int count = 1;
        foreach (char c in romes) if (c == ',') count++;
        if (count > MaxRomes) errors.Add(Messages.RomesTooMany(MaxRomes));
        if (!IsRomeList(romes))
        {
            errors.Add(Messages.RomesBadFormat);
            return [];
        }
        var codes = new List<string>(count);
        foreach (var range in romes.AsSpan().Split(','))
        {
            string code = romes[range].ToUpperInvariant();
            if (!codes.Contains(code)) codes.Add(code);
        }
        return [.. codes];
    }

    /// <summary><c>^[a-zA-Z][0-9]{4}(,[a-zA-Z][0-9]{4})*$</c></summary>
    public static bool IsRomeList(ReadOnlySpan<char> s)
    {
        if (s.Length < 5 || (s.Length + 1) % 6 != 0) return false;
        for (int i = 0; i < s.Length; i += 6)
        {
            if (!char.IsAsciiLetter(s[i])) return false;
            for (int k = 1; k <= 4; k++) if (!char.IsAsciiDigit(s[i + k])) return false;
            if (i + 5 < s.Length && s[i + 5] != ',') return false;
        }
        return true;
    }

    /// <summary><c>^[a-zA-Z]$</c> or <c>^[a-zA-Z][0-9]{2}$</c></summary>
    public static bool IsRomeDomain(ReadOnlySpan<char> s) =>
        (s.Length == 1 && char.IsAsciiLetter(s[0]))
        || (s.Length == 3 && char.IsAsciiLetter(s[0]) && char.IsAsciiDigit(s[1]) && char.IsAsciiDigit(s[2]));

    /// <summary><c>^RNCP\d{2,5}$</c> (the prefix in any case).</summary>
    public static bool IsRncp(ReadOnlySpan<char> s)
    {
        if (s.Length < 6 || s.Length > 9 || !s[..4].Equals("RNCP", StringComparison.OrdinalIgnoreCase)) return false;
        foreach (char c in s[4..]) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary><c>^[0-9][abAB0-9][0-9]{3}$</c></summary>
    public static bool IsInsee(ReadOnlySpan<char> s) =>
        s.Length == 5 && char.IsAsciiDigit(s[0]) && (char.IsAsciiDigit(s[1]) || s[1] is 'a' or 'A' or 'b' or 'B')
        && char.IsAsciiDigit(s[2]) && char.IsAsciiDigit(s[3]) && char.IsAsciiDigit(s[4]);

    private static void ResolveRncp(string rncp, ReferenceData reference, SearchRequest request, List<string> errors)
    {
        if (!IsRncp(rncp))
        {
            errors.Add(Messages.RncpBadFormat);
            return;
        }
        string code = rncp.ToUpperInvariant();
        RncpCertification? certification = reference.FindRncp(code);
        if (certification is null)
        {
            errors.Add(Messages.RncpUnknown(rncp));
            return;
        }
        request.Romes = [.. certification.RomeCodesV4];
        request.NoRomeMatches = request.Romes.Length == 0;
    }

    private static void ReadLocation(SearchKind kind, IQueryCollection query, ReferenceData reference, SearchRequest request, List<string> errors)
    {
        string? latitude = Value(query, "latitude");
        string? longitude = Value(query, "longitude");
        string? radius = Value(query, "radius");
        string? insee = Value(query, "insee");
        bool jobsRules = kind is SearchKind.Jobs or SearchKind.JobsEtFormations;

        bool located = false;
        if (latitude is not null || longitude is not null)
        {
            bool ok = true;
            if (latitude is null) { errors.Add(Messages.LatitudeMissing); ok = false; }
            else if (!TryParseNumber(latitude, out double lat)) { errors.Add(Messages.LatitudeNaN); ok = false; }
            else if (lat < -90 || lat > 90) { errors.Add(Messages.LatitudeRange); ok = false; }
            else request.Latitude = lat;

            if (longitude is null) { errors.Add(Messages.LongitudeMissing); ok = false; }
            else if (!TryParseNumber(longitude, out double lon)) { errors.Add(Messages.LongitudeNaN); ok = false; }
            else if (lon < -180 || lon > 180) { errors.Add(Messages.LongitudeRange); ok = false; }
            else request.Longitude = lon;

            request.HasCenter = ok;
            located = true;
            if (insee is not null && !IsInsee(insee)) errors.Add(Messages.InseeBadFormat);
        }
        else if (insee is not null)
        {
            // No coordinates: the commune's centre (arrondissements at their commune's centre).
            if (!IsInsee(insee)) errors.Add(Messages.InseeBadFormat);
            else if (reference.FindCommune(insee) is { } commune)
            {
                request.HasCenter = true;
                request.Latitude = commune.Latitude;
                request.Longitude = commune.Longitude;
            }
            else errors.Add(Messages.InseeNotFound);
            located = true;
        }

        if (radius is not null)
        {
            if (!TryParseNumber(radius, out double r)) errors.Add(Messages.RadiusNaN);
            else if (r < 0 || (r > 200 && r != 20000)) errors.Add(Messages.RadiusRange);
            else request.Radius = r;
        }
        else if (located && jobsRules)
        {
            errors.Add(Messages.RadiusMissing);
        }
    }

    private static void ReadRegion(IQueryCollection query, bool hasRomes, SearchRequest request, List<string> errors)
    {
        string? region = Value(query, "region");
        string? departement = Value(query, "departement");
        if (region is not null && departement is not null)
        {
            errors.Add(Messages.RegionAndDepartement);
        }
        if (departement is not null)
        {
            if (departement.Length is 2 or 3 && IsDigits(departement)) request.PostalPrefixes = [departement];
            else errors.Add(Messages.DepartementBadFormat);
        }
        if (region is not null)
        {
            if (region.Length != 2 || !IsDigits(region)) errors.Add(Messages.RegionBadFormat);
            else if (RegionPrefixes.TryGetValue(region, out string[]? prefixes))
            {
                if (departement is null) request.PostalPrefixes = prefixes;
            }
            else errors.Add(Messages.RegionNotAllowed);
        }
        if (region is null && departement is null && !hasRomes)
        {
            errors.Add(Messages.RegionNothing);
        }
    }

    private static void ReadDiploma(IQueryCollection query, SearchRequest request, List<string> errors)
    {
        string? diploma = Value(query, "diploma");
        if (diploma is null) return;
        if (diploma[0] is >= '3' and <= '7') request.DiplomaLevel = diploma[0] - '0';
        else errors.Add(Messages.DiplomaBad);
    }

    private static SourceSet ReadSources(SearchKind kind, IQueryCollection query, List<string> errors)
    {
        SourceSet all = kind == SearchKind.Jobs ? SourceSet.Jobs : SourceSet.All;
        string? sources = Value(query, "sources");
        if (sources is null) return all;
        SourceSet set = SourceSet.None;
        foreach (var range in sources.AsSpan().Split(','))
        {
            ReadOnlySpan<char> name = sources.AsSpan()[range].Trim();
            if (name.IsEmpty) continue;
            if (name.Equals("formation", StringComparison.OrdinalIgnoreCase) || name.Equals("formations", StringComparison.OrdinalIgnoreCase)) set |= SourceSet.Formations;
            else if (name.Equals("matcha", StringComparison.OrdinalIgnoreCase)) set |= SourceSet.Matchas;
            else if (name.Equals("lba", StringComparison.OrdinalIgnoreCase) || name.Equals("lbb", StringComparison.OrdinalIgnoreCase)) set |= SourceSet.Companies;
            else if (name.Equals("offres", StringComparison.OrdinalIgnoreCase) || name.Equals("peJob", StringComparison.OrdinalIgnoreCase)) set |= SourceSet.PeJobs;
            else
            {
                errors.Add(Messages.SourcesBad);
                return all;
            }
        }
        set &= all;
        // Nothing this route serves was named: the route's default (reference: an empty mapping means all).
        return set == SourceSet.None ? all : set;
    }

    /// <summary>A finite number in invariant culture (JS <c>Number()</c> semantics for ordinary input).</summary>
    public static bool TryParseNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
