using Alternance.Api.Metiers;
using Alternance.Data;

namespace Alternance.Api.Widget;

/// <summary>
/// The widget's place look-ups over the bundled communes (no geocoding service): a name or postal-code prefix typed
/// in the search form, an INSEE code from the page's URL, or the commune nearest to a point (the URL's
/// <c>lat</c>/<c>lon</c>, shown as a place name). Municipal arrondissements are left out: they carry their
/// commune's centre.
/// </summary>
public sealed class PlaceIndex
{
    public const int MaxResults = 10;

    private readonly Commune[] _communes;
    // Parallel to _communes: the name compared (lower case, no accents, hyphens and apostrophes as spaces).
    private readonly string[] _keys;

    public PlaceIndex(ReferenceData reference)
    {
        var communes = new List<Commune>(reference.Communes.Count);
        foreach (Commune c in reference.Communes)
        {
            if (!c.IsArrondissement) communes.Add(c);
        }
        // Most populated first: the scan below keeps that order among equal matches.
        communes.Sort(static (a, b) => b.Population != a.Population ? b.Population.CompareTo(a.Population) : string.CompareOrdinal(a.Insee, b.Insee));
        _communes = [.. communes];
        _keys = new string[_communes.Length];
        for (int i = 0; i < _keys.Length; i++) _keys[i] = Key(_communes[i].Name);
    }

    /// <summary>Communes whose name (or, for digits, postal code) starts with the text: whole-name matches first, then
    /// name starts, then a word of the name starting with it; the most populated first within each.</summary>
    public List<Commune> Find(string text)
    {
        var found = new List<Commune>(MaxResults);
        string query = text.Trim();
        if (query.Length == 0) return found;
        if (char.IsAsciiDigit(query[0]))
        {
            for (int i = 0; i < _communes.Length && found.Count < MaxResults; i++)
            {
                if (HasPostalPrefix(_communes[i], query)) found.Add(_communes[i]);
            }
            return found;
        }
        string key = Key(query);
        if (key.Length == 0) return found;
        // Three passes over a 35,000-entry array are well under a millisecond; each stops at the first ten.
        for (int rank = 0; rank < 3 && found.Count < MaxResults; rank++)
        {
            for (int i = 0; i < _keys.Length && found.Count < MaxResults; i++)
            {
                string name = _keys[i];
                bool match = rank switch
                {
                    0 => name == key,
                    1 => name.Length > key.Length && name.StartsWith(key, StringComparison.Ordinal),
                    _ => !name.StartsWith(key, StringComparison.Ordinal) && MetierCatalog.WordStarts(name, key),
                };
                if (match) found.Add(_communes[i]);
            }
        }
        return found;
    }

    public Commune? ByInsee(string insee)
    {
        foreach (Commune c in _communes)
        {
            if (string.Equals(c.Insee, insee, StringComparison.OrdinalIgnoreCase)) return c;
        }
        return null;
    }

    /// <summary>The commune whose centre is nearest to the point (an equirectangular distance is enough to compare).</summary>
    public Commune? Nearest(double latitude, double longitude)
    {
        Commune? best = null;
        double bestDistance = double.MaxValue;
        double cos = Math.Cos(latitude * Math.PI / 180);
        foreach (Commune c in _communes)
        {
            double dy = c.Latitude - latitude;
            double dx = (c.Longitude - longitude) * cos;
            double d = dx * dx + dy * dy;
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static bool HasPostalPrefix(Commune c, string prefix)
    {
        foreach (string code in c.PostalCodes)
        {
            if (code.StartsWith(prefix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>"Saint-Étienne", "saint etienne" and "ST ETIENNE" compare alike but for the abbreviation.</summary>
    internal static string Key(string name)
    {
        string normalized = MetierCatalog.Normalize(name);
        var chars = new char[normalized.Length];
        int n = 0;
        bool space = true;
        foreach (char c in normalized)
        {
            bool separator = c is '-' or '\'' or ' ' or ',' or '.' or '(' or ')';
            if (separator)
            {
                if (!space) chars[n++] = ' ';
                space = true;
            }
            else
            {
                chars[n++] = c;
                space = false;
            }
        }
        if (n > 0 && chars[n - 1] == ' ') n--;
        return new string(chars, 0, n);
    }
}
