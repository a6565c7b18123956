namespace Alternance.Testing;

/// <summary>An item the oracle found, with its distance (NaN in listings).</summary>
public readonly record struct Found(SearchItem Item, double DistanceKm);

/// <summary>
/// The contract's search semantics written the plain way, without the engine's code (no index, no merge, no diploma or
/// OPCO helpers): scan every item, filter, compute the distance, sort, group, widen. The engine, and the API over it,
/// must answer exactly this. The one oracle of every test suite and benchmark.
/// </summary>
/// <param name="asOf">The instant searches are made at (Unix ms) when a query names none (<see cref="SourceQuery.AsOf"/> 0):
/// posted offers whose expiration date is at or before it are not found. 0: nothing has expired.</param>
public sealed class ContractOracle(IEnumerable<SearchItem> items, long asOf = 0)
{
    private readonly List<SearchItem> _items = [.. items];

    /// <summary>The ids a query must answer, in order.</summary>
    public string[] Ids(SourceQuery q)
    {
        Found[] found = Search(q);
        var ids = new string[found.Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = found[i].Item.Id;
        return ids;
    }

    /// <summary>How an answer differs from the expected one (ids and exact distances, in order); null when it does not.</summary>
    public static string? Compare(Found[] expected, Hit[] actual)
    {
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (expected[i].Item.Id != actual[i].Id || !expected[i].DistanceKm.Equals(actual[i].DistanceKm))
            {
                return $"at {i}: expected {expected[i].Item.Id} ({expected[i].DistanceKm}) got {actual[i].Id} ({actual[i].DistanceKm})";
            }
        }
        return expected.Length == actual.Length ? null : $"expected {expected.Length} hits, got {actual.Length}";
    }

    public Found[] Search(SourceQuery q)
    {
        Found[] hits = Run(q);
        if (hits.Length == 0 && q.Source == Source.Formation && q.Area == SearchArea.Radius)
        {
            hits = Run(q with { RadiusKm = 21000, Limit = 5 });
        }
        return hits;
    }

    private Found[] Run(SourceQuery q)
    {
        var matches = new List<Found>();
        long now = q.AsOf != 0 ? q.AsOf : asOf;
        foreach (SearchItem item in _items)
        {
            if (item.Source != q.Source || !Passes(item, q) || Expired(item, now)) continue;
            if (q.Area == SearchArea.Listing)
            {
                matches.Add(new Found(item, double.NaN));
                continue;
            }
            double d = GreatCircle.DistanceKm(q.Latitude, q.Longitude, item.Latitude, item.Longitude);
            if (d <= q.RadiusKm) matches.Add(new Found(item, d));
        }
        if (q.NewestFirst)
        {
            // The v3 order: distance (in a circle), then the newest first, then id.
            matches.Sort((a, b) =>
            {
                int c = q.Area == SearchArea.Radius ? a.DistanceKm.CompareTo(b.DistanceKm) : 0;
                if (c == 0) c = Created(b.Item).CompareTo(Created(a.Item));
                return c != 0 ? c : string.CompareOrdinal(a.Item.Id, b.Item.Id);
            });
        }
        else if (q.Area == SearchArea.Radius)
        {
            matches.Sort((a, b) => a.DistanceKm != b.DistanceKm ? a.DistanceKm.CompareTo(b.DistanceKm) : string.CompareOrdinal(a.Item.Id, b.Item.Id));
        }
        else
        {
            matches.Sort((a, b) =>
            {
                int c = string.CompareOrdinal(Title(a.Item).ToUpperInvariant(), Title(b.Item).ToUpperInvariant());
                if (c == 0) c = string.CompareOrdinal(Company(a.Item).ToUpperInvariant(), Company(b.Item).ToUpperInvariant());
                return c != 0 ? c : string.CompareOrdinal(a.Item.Id, b.Item.Id);
            });
        }

        var result = new List<Found>();
        switch (q.Source)
        {
            case Source.Formation:
                // De-duplication: the first training of each key is kept; the limit counts distinct trainings.
                var keys = new HashSet<string>();
                foreach (Found hit in matches)
                {
                    var f = (FormationItem)hit.Item;
                    if (keys.Count == q.Limit) break;
                    if (keys.Add($"{f.IntituleLong}|{f.IntituleCourt}|{f.FormateurSiret}|{f.Diplome}|{f.CodePostal}")) result.Add(hit);
                }
                break;
            case Source.Matcha:
                // The jobs of the first `limit` recruiters.
                var recruiters = new HashSet<string>();
                foreach (Found hit in matches)
                {
                    string recruiter = ((MatchaItem)hit.Item).Recruiter.EstablishmentId;
                    if (recruiters.Contains(recruiter) || recruiters.Count < q.Limit && recruiters.Add(recruiter)) result.Add(hit);
                }
                break;
            default:
                result.AddRange(matches.Take(q.Limit));
                break;
        }
        return [.. result];
    }

    /// <summary>The title a listing sorts by (contract: the training's long title, else its short one; the offer's title...).</summary>
    private static string Title(SearchItem item) => item switch
    {
        FormationItem f => f.IntituleLong ?? f.IntituleCourt ?? "",
        PeJobItem p => p.Intitule ?? "",
        MatchaItem m => m.CustomJobTitle ?? m.RomeAppellationLabel ?? m.RomeLabel ?? "",
        CompanyItem c => c.Enseigne ?? c.RaisonSociale ?? "",
        _ => "",
    };

    private static string Company(SearchItem item) => item switch
    {
        FormationItem f => f.FormateurEnseigne ?? f.FormateurRaisonSociale ?? f.GestionnaireRaisonSociale ?? "",
        PeJobItem p => p.EntrepriseNom ?? "",
        MatchaItem m => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale ?? "Enseigne inconnue",
        CompanyItem c => c.Enseigne ?? c.RaisonSociale ?? "",
        _ => "",
    };

    private static bool Passes(SearchItem item, SourceQuery q)
    {
        if (q.Romes.Length > 0 && !item.RomeCodes.Any(r => q.Romes.Contains(r))) return false;
        if (q.RomeDomain is { } domain && !item.RomeCodes.Any(r => r.StartsWith(domain, StringComparison.Ordinal))) return false;
        if (q.PostalPrefixes.Length > 0)
        {
            string? postal = item switch
            {
                FormationItem f => f.CodePostal, PeJobItem p => p.CodePostal, CompanyItem c => c.ZipCode, MatchaItem m => m.Recruiter.ZipCode, _ => null,
            };
            if (postal is null || !q.PostalPrefixes.Any(p => postal.StartsWith(p, StringComparison.Ordinal))) return false;
        }
        if (q.DisabledElligibleOnly && item is not MatchaItem { IsDisabledElligible: true }) return false;
        if (item is MatchaItem posted && q.ExcludedPartners.Contains(posted.Partner?.Label ?? "offres_emploi_lba")) return false;
        switch (item)
        {
            case FormationItem f:
                return q.DiplomaLevel == 0 || f.Niveau is { } n && n[0] - '0' == q.DiplomaLevel;
            case PeJobItem p:
                if (q.DiplomaLevel != 0 && p.NiveauFormation != $"NV{8 - q.DiplomaLevel}") return false;
                return q.Opco is null || p.Opco == q.Opco;
            case MatchaItem m:
                if (m.JobStatus != "Active" || m.Recruiter.Status != "Actif") return false;
                if (q.MultiPublishedOnly && !m.IsMultiPublished) return false;
                if (q.Opco is not null && m.Recruiter.Opco != q.Opco) return false;
                if (q.DiplomaLevel != 0)
                {
                    string wanted = FormatLevel(q.DiplomaLevel);
                    if (m.JobLevelLabel != "Indifférent" && m.JobLevelLabel != wanted) return false;
                }
                return true;
            case CompanyItem c:
                return q.Opco is null || c.OpcoShortName == q.Opco;
        }
        return false;
    }

    /// <summary>An offer's creation instant in Unix ms (the order's precision); 0, the oldest, when it has none.</summary>
    private static long Created(SearchItem item)
    {
        string? text = item switch { MatchaItem m => m.JobCreationDate, PeJobItem p => p.DateCreation, _ => null };
        return text is not null && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
            ? Math.Max(0, at.ToUnixTimeMilliseconds())
            : 0;
    }

    /// <summary>A posted offer past its <c>job_expiration_date</c> (read here with the framework's own parser).</summary>
    private static bool Expired(SearchItem item, long now) =>
        item is MatchaItem { JobExpirationDate: { } expiration }
        && DateTimeOffset.TryParse(expiration, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
        && at.ToUnixTimeMilliseconds() <= now;

    private static string FormatLevel(int level) => level switch
    {
        3 => "Cap, autres formations niveau (Infrabac)",
        4 => "BP, Bac, autres formations niveau (Bac)",
        5 => "BTS, DEUST, autres formations niveau (Bac+2)",
        6 => "Licence, autres formations niveau (Bac+3)",
        _ => "Master, titre ingénieur, autres formations niveau (Bac+5)",
    };
}
