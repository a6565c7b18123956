using System.Globalization;
using Alternance.Data;
using Alternance.Search;
using Alternance.Text;
using Microsoft.Extensions.Primitives;

namespace Alternance.Api.TextSearch;

/// <summary>The messages of <c>/api/v1/search</c> and <c>/api/v1/search/suggest</c> (docs/text-search.md).</summary>
public static class TextSearchMessages
{
    public const int MaxQueryLength = 200;
    public const int MaxHitsPerPage = 100;
    public const int MaxDepth = 1000;
    public const double MaxRadiusKm = 200;
    public const double DefaultRadiusKm = 30;
    public const int MaxSuggestions = 20;

    public const string QueryTooLong = "q : Search text must be at most 200 characters.";
    public const string ModeBad = "mode : Search mode must be one of emplois, formations, emplois_formation.";
    public const string LocationHalf = "latitude, longitude : Give both latitude and longitude, or neither.";
    public const string RadiusWithoutCenter = "radius : A search radius needs latitude and longitude.";
    public const string RadiusRange = "radius : Search radius must be a number between 0 and 200.";
    public const string AreaBad = "admin_area : Administrative area must be departement:<code> or region:<code> of a known département or région, ex : departement:44 or region:53.";
    public const string AreaAndCenter = "admin_area, latitude, longitude : Give a location or an administrative area, not both.";
    public const string SortBad = "sort : Sort must be one of relevance, proximity, date, start_date.";
    public const string SortProximityWithoutCenter = "sort : Sorting by proximity needs latitude and longitude.";
    public const string PageBad = "page : Page must be a whole number, 0 or more.";
    public const string HitsPerPageBad = "hitsPerPage : hitsPerPage must be a whole number between 1 and 100.";
    public const string DepthBad = "page, hitsPerPage : Pages reach the first 1000 hits at most ((page + 1) × hitsPerPage ≤ 1000).";
    public const string ContractTypeBad = "contract_type : Contract type must be among Apprentissage, Professionnalisation.";
    public const string LevelBad = "level : Level must be among 3, 4, 5, 6, 7, indifferent.";
    public const string TypeFilterLabelBad = "type_filter_label : Type must be among Formations, Offres d'emploi, Entreprises.";
    public const string StartDateBad = "start_date : Start date must be a date as yyyy-mm-dd.";
    public static string BooleanBad(string name) => $"{name} : {name} must be true or false.";
    public static string TooLong(string name) => $"{name} : Each value must be at most 200 characters.";

    public const string SuggestQueryLength = "q : Search text must be between 3 and 200 characters.";
    public const string SuggestLimitBad = "limit : limit must be a whole number between 1 and 20.";
}

/// <summary>Reads and checks a free-text search's query string, accumulating every message.</summary>
public static class TextSearchValidator
{
    private static readonly Source[] Jobs = [Source.PeJob, Source.Matcha, Source.Company];
    private static readonly Source[] Trainings = [Source.Formation];
    private static readonly Source[] All = [Source.Formation, Source.PeJob, Source.Matcha, Source.Company];
    private static readonly string[] TypeLabels = [ItemDocument.TypeLabel(Source.Formation), ItemDocument.TypeLabel(Source.PeJob), ItemDocument.TypeLabel(Source.Company)];

    public static TextSearchRequest Validate(IQueryCollection query, ReferenceData reference, List<string> errors)
    {
        string q = Value(query, "q") ?? "";
        if (q.Length > TextSearchMessages.MaxQueryLength) errors.Add(TextSearchMessages.QueryTooLong);

        Source[] sources = All;
        switch (Value(query, "mode")?.ToLowerInvariant())
        {
            case null or "" or "emplois_formation": break;
            case "emplois": sources = Jobs; break;
            case "formations": sources = Trainings; break;
            default: errors.Add(TextSearchMessages.ModeBad); break;
        }

        string? latitudeText = Value(query, "latitude"), longitudeText = Value(query, "longitude"), radiusText = Value(query, "radius");
        bool hasCenter = latitudeText is not null || longitudeText is not null;
        double latitude = 0, longitude = 0, radius = TextSearchMessages.DefaultRadiusKm;
        if ((latitudeText is null) != (longitudeText is null))
        {
            errors.Add(TextSearchMessages.LocationHalf);
        }
        if (latitudeText is not null)
        {
            if (!TryNumber(latitudeText, out latitude)) errors.Add(Validation.Messages.LatitudeNaN);
            else if (latitude is < -90 or > 90) errors.Add(Validation.Messages.LatitudeRange);
        }
        if (longitudeText is not null)
        {
            if (!TryNumber(longitudeText, out longitude)) errors.Add(Validation.Messages.LongitudeNaN);
            else if (longitude is < -180 or > 180) errors.Add(Validation.Messages.LongitudeRange);
        }
        if (radiusText is not null)
        {
            if (!TryNumber(radiusText, out radius)) errors.Add(Validation.Messages.RadiusNaN);
            else if (radius is < 0 or > TextSearchMessages.MaxRadiusKm) errors.Add(TextSearchMessages.RadiusRange);
            if (!hasCenter) errors.Add(TextSearchMessages.RadiusWithoutCenter);
        }

        string[] prefixes = [];
        if (Value(query, "admin_area") is { } area)
        {
            if (!TryArea(area, reference, out prefixes)) errors.Add(TextSearchMessages.AreaBad);
            if (hasCenter) errors.Add(TextSearchMessages.AreaAndCenter);
        }

        TextSort sort = TextSort.Relevance;
        switch (Value(query, "sort")?.ToLowerInvariant())
        {
            case null or "" or "relevance": break;
            case "proximity":
                sort = TextSort.Proximity;
                if (!hasCenter) errors.Add(TextSearchMessages.SortProximityWithoutCenter);
                break;
            case "date": sort = TextSort.Date; break;
            case "start_date": sort = TextSort.StartDate; break;
            default: errors.Add(TextSearchMessages.SortBad); break;
        }

        int page = 0, hitsPerPage = 20;
        bool pageOk = true, hppOk = true;
        if (Value(query, "page") is { } pageText && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 0))
        {
            errors.Add(TextSearchMessages.PageBad);
            pageOk = false;
        }
        if (Value(query, "hitsPerPage") is { } hppText
            && (!int.TryParse(hppText, NumberStyles.None, CultureInfo.InvariantCulture, out hitsPerPage) || hitsPerPage is < 1 or > TextSearchMessages.MaxHitsPerPage))
        {
            errors.Add(TextSearchMessages.HitsPerPageBad);
            hppOk = false;
        }
        if (pageOk && hppOk && ((long)page + 1) * hitsPerPage > TextSearchMessages.MaxDepth) errors.Add(TextSearchMessages.DepthBad);

        byte contracts = Flags(query, "contract_type", ItemDocument.ContractTypeValues, TextSearchMessages.ContractTypeBad, errors);
        byte levels = Flags(query, "level", ItemDocument.LevelValues, TextSearchMessages.LevelBad, errors);
        var types = new List<string>();
        foreach (string value in Values(query, "type_filter_label", split: true))
        {
            int at = IndexOfIgnoreCase(TypeLabels, value);
            if (at < 0) { errors.Add(TextSearchMessages.TypeFilterLabelBad); break; }
            if (!types.Contains(TypeLabels[at])) types.Add(TypeLabels[at]);
        }
        var sectors = new List<string>();
        foreach (string value in Values(query, "activity_sector", split: false))
        {
            if (value.Length > TextSearchMessages.MaxQueryLength) { errors.Add(TextSearchMessages.TooLong("activity_sector")); break; }
            if (!sectors.Contains(value)) sectors.Add(value);
        }
        var organisations = new List<string>();
        foreach (string value in Values(query, "organization_name", split: false))
        {
            if (value.Length > TextSearchMessages.MaxQueryLength) { errors.Add(TextSearchMessages.TooLong("organization_name")); break; }
            string key = NameKey.Of(value);
            if (key.Length > 0 && !organisations.Contains(key)) organisations.Add(key);
        }
        int startAtMost = int.MinValue;
        if (Value(query, "start_date") is { } startText)
        {
            int day = startText.Length == 10 ? ItemDocument.Day(startText) : ItemDocument.NoDay;
            if (day == ItemDocument.NoDay) errors.Add(TextSearchMessages.StartDateBad);
            else startAtMost = day;
        }
        sbyte disabled = Boolean(query, "is_disabled_elligible", errors);
        sbyte smart = Boolean(query, "smart_apply", errors);
        sbyte algo = Boolean(query, "is_algo_company", errors);

        return new TextSearchRequest
        {
            Query = q,
            Sources = sources,
            HasCenter = hasCenter,
            Latitude = latitude,
            Longitude = longitude,
            RadiusKm = radius,
            PostalPrefixes = prefixes,
            TypeLabels = [.. types],
            Filters = new TextFilters
            {
                ContractTypes = contracts,
                Levels = levels,
                Sectors = [.. sectors],
                Organisations = [.. organisations],
                StartDayAtMost = startAtMost,
                DisabledElligible = disabled,
                SmartApply = smart,
                AlgoCompany = algo,
            },
            Sort = sort,
            Page = page,
            HitsPerPage = hitsPerPage,
        };
    }

    /// <summary><c>departement:44</c> → ["44"]; <c>departement:2A</c> → ["20"]; <c>region:53</c> → its départements.</summary>
    public static bool TryArea(string area, ReferenceData reference, out string[] prefixes)
    {
        prefixes = [];
        int colon = area.IndexOf(':');
        if (colon < 0) return false;
        string kind = area[..colon].Trim().ToLowerInvariant(), code = area[(colon + 1)..].Trim().ToUpperInvariant();
        if (kind == "departement")
        {
            if (reference.FindDepartement(code) is not { } departement) return false;
            prefixes = [PostalPrefix(departement.Code)];
            return true;
        }
        if (kind == "region")
        {
            var list = new List<string>();
            foreach (Departement d in reference.Departements)
            {
                string prefix = PostalPrefix(d.Code);
                if (d.RegionCode == code && !list.Contains(prefix)) list.Add(prefix);
            }
            prefixes = [.. list];
            return list.Count > 0;
        }
        return false;
    }

    /// <summary>Corsica's départements (2A, 2B) have postal codes starting 20.</summary>
    private static string PostalPrefix(string departement) => departement.StartsWith('2') && departement.Length == 2 && !char.IsAsciiDigit(departement[1]) ? "20" : departement;

    public static (string Query, int Limit) ValidateSuggest(IQueryCollection query, List<string> errors)
    {
        string q = (Value(query, "q") ?? "").Trim();
        if (q.Length is < 3 or > TextSearchMessages.MaxQueryLength) errors.Add(TextSearchMessages.SuggestQueryLength);
        int limit = 10;
        if (Value(query, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > TextSearchMessages.MaxSuggestions))
        {
            errors.Add(TextSearchMessages.SuggestLimitBad);
        }
        return (q, limit);
    }

    /// <summary>A multi-valued parameter among <paramref name="values"/> (any case), as bits of their indexes.</summary>
    private static byte Flags(IQueryCollection query, string name, string[] values, string message, List<string> errors)
    {
        byte bits = 0;
        foreach (string value in Values(query, name, split: true))
        {
            int at = IndexOfIgnoreCase(values, value);
            if (at < 0)
            {
                errors.Add(message);
                break;
            }
            bits |= (byte)(1 << at);
        }
        return bits;
    }

    private static sbyte Boolean(IQueryCollection query, string name, List<string> errors)
    {
        string? value = Value(query, name);
        if (value is null) return -1;
        if (string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)) return 1;
        if (string.Equals(value, "false", StringComparison.OrdinalIgnoreCase)) return 0;
        errors.Add(TextSearchMessages.BooleanBad(name));
        return -1;
    }

    private static int IndexOfIgnoreCase(string[] values, string value)
    {
        for (int i = 0; i < values.Length; i++) if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>The parameter's value (the first if repeated), null when absent or empty.</summary>
    private static string? Value(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out StringValues values) || values.Count == 0) return null;
        string? value = values[0];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Every value of a multi-valued parameter (repeated, and comma-separated when <paramref name="split"/>).</summary>
    private static List<string> Values(IQueryCollection query, string name, bool split)
    {
        var list = new List<string>();
        if (!query.TryGetValue(name, out StringValues values)) return list;
        foreach (string? value in values)
        {
            if (string.IsNullOrEmpty(value)) continue;
            if (!split) { list.Add(value.Trim()); continue; }
            foreach (string part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)) list.Add(part);
        }
        return list;
    }
}
