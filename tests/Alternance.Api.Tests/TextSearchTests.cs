using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Alternance.Testing;
using Alternance.Text;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>
/// <c>/api/v1/search</c> answers exactly what <see cref="TextOracle"/> (every item analysed, scored and filtered the plain
/// way) answers: hits in order with their scores, nbHits, nbPages and every facet count; bad parameters are 400s.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TextSearchTests(ApiHost host)
{
    private static readonly TextAnalyzer Analyzer = new();
    private static TextOracle? s_oracle;

    private TextOracle Oracle => s_oracle ??= new TextOracle(
        host.Formations.Cast<SearchItem>().Concat(host.PeJobs).Concat(host.Matchas).Concat(host.Companies), Analyzer, ApiHost.Now.ToUnixTimeMilliseconds());

    private IEnumerable<SearchItem> AllItems => host.Formations.Cast<SearchItem>().Concat(host.PeJobs).Concat(host.Matchas).Concat(host.Companies);

    private static readonly string[] SynonymWords = ["boulangerie", "développeur", "cuisine", "vente", "BTS", "CAP", "licence", "coiffure", "mécanique", "comptabilité"];
    private static readonly string[] Modes = ["emplois", "formations", "emplois_formation"];
    private static readonly string[] Sorts = ["relevance", "date", "start_date", "proximity"];

    [Fact]
    public async Task Random_queries_answer_exactly_what_the_oracle_answers()
    {
        SearchItem[] items = [.. AllItems];
        var rng = new Random(1313);
        int compared = 0, withHits = 0, empty = 0;
        var emptyUrls = new List<string>();
        var failures = new List<string>();
        for (int n = 0; n < 400; n++)
        {
            var (url, query) = RandomQuery(rng, items);
            var (status, body) = await host.Http.GetJson(url);
            Assert.True(status == HttpStatusCode.OK, $"{url} answered {(int)status}: {body}");
            TextOracleAnswer expected = Oracle.Search(query);
            string? difference = Difference(expected, body, query.HitsPerPage);
            if (difference is not null) failures.Add($"{url}\n  {difference}");
            compared++;
            if (expected.NbHits == 0) { empty++; emptyUrls.Add(url); } else withHits++;
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} answers differ:\n" + string.Join("\n", failures.Take(8)));
        // The draw covers both kinds of answers.
        Assert.True(empty >= 20 && withHits >= 120, $"{empty} empty, {withHits} with hits\n" + string.Join("\n", emptyUrls.Take(25)));
    }

    private static string? Difference(TextOracleAnswer expected, JsonElement body, int hitsPerPage)
    {
        int nbHits = body.GetProperty("nbHits").GetInt32();
        if (nbHits != expected.NbHits) return $"nbHits {nbHits}, expected {expected.NbHits}";
        int nbPages = body.GetProperty("nbPages").GetInt32();
        if (nbPages != (expected.NbHits + hitsPerPage - 1) / hitsPerPage) return $"nbPages {nbPages}";
        JsonElement[] hits = [.. body.GetProperty("hits").EnumerateArray()];
        if (hits.Length != expected.Hits.Length) return $"{hits.Length} hits, expected {expected.Hits.Length}";
        for (int i = 0; i < hits.Length; i++)
        {
            string kind = hits[i].GetProperty("kind").GetString()!, id = hits[i].GetProperty("id").GetString()!;
            double score = hits[i].GetProperty("score").GetDouble();
            if (kind != expected.Hits[i].Kind || id != expected.Hits[i].Id || score != expected.Hits[i].Score)
            {
                return $"hit {i}: {kind} {id} {score:R}, expected {expected.Hits[i].Kind} {expected.Hits[i].Id} {expected.Hits[i].Score:R}";
            }
            JsonElement distance = hits[i].GetProperty("distance");
            double d = expected.Hits[i].DistanceKm;
            if (double.IsNaN(d) ? distance.ValueKind != JsonValueKind.Null : distance.GetDouble() != Math.Round(d, 2)) return $"hit {i}: distance {distance}, expected {d}";
        }
        var facets = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty facet in body.GetProperty("facets").EnumerateObject())
        {
            foreach (JsonProperty value in facet.Value.EnumerateObject()) facets[facet.Name + "/" + value.Name] = value.Value.GetInt32();
        }
        if (!facets.SequenceEqual(expected.Facets))
        {
            var diff = facets.Keys.Union(expected.Facets.Keys).Where(k => facets.GetValueOrDefault(k) != expected.Facets.GetValueOrDefault(k)).Take(5)
                .Select(k => $"{k}: {facets.GetValueOrDefault(k)} vs {expected.Facets.GetValueOrDefault(k)}");
            return "facets differ: " + string.Join("; ", diff);
        }
        return null;
    }

    private (string Url, TextOracleQuery Query) RandomQuery(Random rng, SearchItem[] items)
    {
        var url = new StringBuilder("/api/v1/search?");
        var query = new TextOracleQuery();

        // Text: nothing, words of the items (some with a typo), synonyms, stop words.
        // Words of one item (words that go together), sometimes with a typo; synonyms; stop words; a word of nothing.
        SearchItem anchor = items[rng.Next(items.Length)];
        var words = new List<string>();
        int wordCount = rng.Next(100) switch { < 15 => 0, < 65 => 1, < 90 => 2, _ => 3 };
        for (int w = 0; w < wordCount; w++)
        {
            int roll = rng.Next(100);
            if (roll < 15) words.Add(SynonymWords[rng.Next(SynonymWords.Length)]);
            else if (roll < 20) words.Add(rng.Next(2) == 0 ? "de" : "la");
            else if (roll < 23) words.Add("zzyzxq");
            else
            {
                string word = WordOf(rng.Next(4) == 0 ? items[rng.Next(items.Length)] : anchor, rng);
                if (roll < 35 && word.Length >= 6) word = Typo(word, rng);
                words.Add(word);
            }
        }
        string q = string.Join(' ', words);
        query = query with { Q = q };
        url.Append("q=").Append(Esc(q));

        if (rng.Next(4) != 0)
        {
            string mode = rng.Next(2) == 0 ? Modes[rng.Next(Modes.Length)] : anchor is FormationItem ? "formations" : "emplois";
            url.Append("&mode=").Append(mode);
            query = query with
            {
                Sources = mode switch
                {
                    "emplois" => [Source.PeJob, Source.Matcha, Source.Company],
                    "formations" => [Source.Formation],
                    _ => [Source.Formation, Source.PeJob, Source.Matcha, Source.Company],
                },
            };
        }

        int where = rng.Next(100);
        if (where < 50)
        {
            SearchItem at = rng.Next(3) == 0 ? items[rng.Next(items.Length)] : anchor;
            double lat = at.Latitude + (rng.NextDouble() - 0.5) * 0.2, lon = at.Longitude + (rng.NextDouble() - 0.5) * 0.2;
            url.Append("&latitude=").Append(Inv(lat)).Append("&longitude=").Append(Inv(lon));
            double radius = 30;
            if (rng.Next(5) != 0)
            {
                radius = rng.Next(8) switch { 0 => 0, 1 => 5, 2 => 10, 3 => 60, 4 => 100, 5 => 200, _ => Math.Round(rng.NextDouble() * 150, 1) };
                url.Append("&radius=").Append(Inv(radius));
            }
            query = query with { HasCenter = true, Latitude = lat, Longitude = lon, RadiusKm = radius };
        }
        else if (where < 70)
        {
            if (rng.Next(2) == 0)
            {
                string? postal = anchor switch { FormationItem f => f.CodePostal, PeJobItem p => p.CodePostal, CompanyItem c => c.ZipCode, _ => null };
                var d = rng.Next(3) != 0 && postal is { Length: 5 } && host.Reference.Departements.FirstOrDefault(x => postal.StartsWith(x.Code, StringComparison.Ordinal)) is { } own
                    ? own
                    : host.Reference.Departements[rng.Next(host.Reference.Departements.Count)];
                url.Append("&admin_area=departement:").Append(d.Code);
                query = query with { PostalPrefixes = [d.Code is "2A" or "2B" ? "20" : d.Code] };
            }
            else
            {
                var r = host.Reference.Regions[rng.Next(host.Reference.Regions.Count)];
                url.Append("&admin_area=region:").Append(r.Code);
                query = query with
                {
                    PostalPrefixes = [.. host.Reference.Departements.Where(d => d.RegionCode == r.Code).Select(d => d.Code is "2A" or "2B" ? "20" : d.Code).Distinct()],
                };
            }
        }

        if (rng.Next(10) == 0)
        {
            string[] values = Pick(rng, ["Apprentissage", "Professionnalisation"]);
            url.Append("&contract_type=").Append(Esc(string.Join(',', values)));
            query = query with { ContractTypes = values };
        }
        if (rng.Next(10) == 0)
        {
            string[] values = Pick(rng, ["3", "4", "5", "6", "7", "indifferent"]);
            url.Append("&level=").Append(Esc(string.Join(',', values)));
            query = query with { Levels = values };
        }
        if (rng.Next(10) == 0)
        {
            string[] values = Pick(rng, ["Formations", "Offres d'emploi", "Entreprises"]);
            foreach (string v in values) url.Append("&type_filter_label=").Append(Esc(v));
            query = query with { TypeLabels = values };
        }
        if (rng.Next(12) == 0)
        {
            string? sector = items[rng.Next(items.Length)] switch { PeJobItem p => p.SecteurActiviteLibelle, MatchaItem m => m.Recruiter.NafLabel, CompanyItem c => c.NafLabel, _ => null };
            if (sector is not null)
            {
                url.Append("&activity_sector=").Append(Esc(sector));
                query = query with { Sectors = [sector] };
            }
        }
        if (rng.Next(12) == 0)
        {
            string? name = items[rng.Next(items.Length)] switch
            {
                FormationItem f => f.FormateurEnseigne ?? f.FormateurRaisonSociale,
                PeJobItem p => p.EntrepriseNom,
                MatchaItem m => m.Recruiter.Enseigne ?? m.Recruiter.RaisonSociale,
                CompanyItem c => c.RaisonSociale,
                _ => null,
            };
            if (name is not null)
            {
                string asked = rng.Next(2) == 0 ? name.ToUpperInvariant() : name;
                url.Append("&organization_name=").Append(Esc(asked));
                query = query with { Organisations = [asked] };
            }
        }
        if (rng.Next(8) == 0)
        {
            var date = new DateOnly(2026, 1, 1).AddDays(rng.Next(700));
            url.Append("&start_date=").Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            query = query with { StartDateAtMost = date };
        }
        foreach (string name in new[] { "is_disabled_elligible", "smart_apply", "is_algo_company" })
        {
            if (rng.Next(12) != 0) continue;
            bool value = rng.Next(2) == 0;
            url.Append('&').Append(name).Append('=').Append(value ? "true" : "false");
            query = name switch
            {
                "is_disabled_elligible" => query with { DisabledElligible = value },
                "smart_apply" => query with { SmartApply = value },
                _ => query with { AlgoCompany = value },
            };
        }

        if (rng.Next(3) != 0)
        {
            string sort = Sorts[rng.Next(query.HasCenter ? 4 : 3)];
            url.Append("&sort=").Append(sort);
            query = query with { Sort = sort };
        }
        int hitsPerPage = rng.Next(4) == 0 ? 20 : 1 + rng.Next(50);
        int page = rng.Next(4) == 0 ? 0 : rng.Next(4);
        if (hitsPerPage != 20 || rng.Next(2) == 0) url.Append("&hitsPerPage=").Append(hitsPerPage);
        if (page != 0 || rng.Next(2) == 0) url.Append("&page=").Append(page);
        query = query with { HitsPerPage = hitsPerPage, Page = page };
        return (url.ToString(), query);
    }

    private static string[] Pick(Random rng, string[] values)
    {
        var picked = values.Where(_ => rng.Next(2) == 0).ToArray();
        return picked.Length > 0 ? picked : [values[rng.Next(values.Length)]];
    }

    /// <summary>A word of one of the item's texts (3+ letters).</summary>
    private static string WordOf(SearchItem item, Random rng)
    {
        string text = item switch
        {
            FormationItem f => $"{f.IntituleLong} {f.FormateurEnseigne} {f.Localite}",
            PeJobItem p => $"{p.Intitule} {p.EntrepriseNom} {p.SecteurActiviteLibelle}",
            MatchaItem m => $"{m.RomeAppellationLabel} {m.Recruiter.Enseigne} {m.RomeLabel}",
            CompanyItem c => $"{c.Enseigne} {c.NafLabel} {c.City}",
            _ => "",
        };
        string[] words = [.. text.Split([' ', '(', ')', ',', '-', '/', '\'', '.'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3)];
        return words.Length == 0 ? "alternance" : words[rng.Next(words.Length)];
    }

    private static string Typo(string word, Random rng)
    {
        int at = 1 + rng.Next(word.Length - 2);
        char letter = (char)('a' + rng.Next(26));
        return rng.Next(3) switch
        {
            0 => word[..at] + letter + word[(at + 1)..],
            1 => word[..at] + word[(at + 1)..],
            _ => word[..at] + letter + word[at..],
        };
    }

    [Fact]
    public async Task Every_property_of_a_search_and_a_suggest_answer_is_declared_in_the_openapi_document()
    {
        JsonElement doc = await host.Http.GetOk("/api-docs/swagger.json");
        var undeclared = new List<string>();
        // Around a point (distances), then France-wide (null distances), and suggestions.
        JsonElement near = await host.Http.GetOk("/api/v1/search?q=vente&latitude=48.85&longitude=2.35&radius=100&hitsPerPage=50");
        Assert.True(near.GetProperty("hits").GetArrayLength() > 0);
        Assert.True(near.GetProperty("facets").EnumerateObject().Any());
        ShapeTests.Walk(doc, ShapeTests.ResponseSchema(doc, "/api/v1/search"), near, "$", undeclared);
        JsonElement everywhere = await host.Http.GetOk("/api/v1/search?q=boulanger&hitsPerPage=50");
        ShapeTests.Walk(doc, ShapeTests.ResponseSchema(doc, "/api/v1/search"), everywhere, "$", undeclared);
        JsonElement suggestions = await host.Http.GetOk("/api/v1/search/suggest?q=boul");
        Assert.True(suggestions.GetProperty("suggestions").GetArrayLength() > 0);
        ShapeTests.Walk(doc, ShapeTests.ResponseSchema(doc, "/api/v1/search/suggest"), suggestions, "$", undeclared);
        Assert.Empty(undeclared);
    }

    [Fact]
    public async Task A_typo_and_a_synonym_find_what_the_word_finds_and_say_which_words_matched()
    {
        // The most frequent long word of the training titles that has no synonym, and the same word with a letter changed.
        string word = host.Formations.SelectMany(f => (f.IntituleLong ?? "").Split(' ', '(', ')', '-', '\''))
            .Where(w => w.Length >= 8 && w.All(char.IsLetter))
            .Where(w => { var t = Oracle.Words(w); return t.Count == 1 && Analyzer.Synonyms.Of(t[0]).Length == 0; })
            .GroupBy(w => w.ToLowerInvariant()).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        string typo = word[..3] + (word[3] == 'x' ? 'y' : 'x') + word[4..];
        var body = await host.Http.GetOk($"/api/v1/search?q={Esc(word)}&mode=formations&hitsPerPage=100");
        JsonElement[] exact = [.. body.GetProperty("hits").EnumerateArray()];
        Assert.NotEmpty(exact);
        Assert.Contains("<em>", exact[0].GetProperty("preview").GetString());
        Assert.NotEmpty(exact[0].GetProperty("matched_words").EnumerateArray());

        var typoBody = await host.Http.GetOk($"/api/v1/search?q={Esc(typo)}&mode=formations&hitsPerPage=100");
        var typoIds = typoBody.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToHashSet();
        Assert.True(exact.All(h => typoIds.Contains(h.GetProperty("id").GetString())), $"'{typo}' finds every item '{word}' finds");
        JsonElement first = typoBody.GetProperty("hits")[0];
        Assert.Contains(first.GetProperty("matched_words").EnumerateArray(), m => string.Equals(m.GetString(), word, StringComparison.OrdinalIgnoreCase));

        var bakers = await host.Http.GetOk("/api/v1/search?q=boulanger&mode=formations&hitsPerPage=100");
        var bakery = await host.Http.GetOk("/api/v1/search?q=boulangerie&mode=formations&hitsPerPage=100");
        var bakeryIds = bakery.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()).ToHashSet();
        Assert.NotEmpty(bakeryIds);
        Assert.True(bakers.GetProperty("hits").EnumerateArray().All(h => bakeryIds.Contains(h.GetProperty("id").GetString())), "boulangerie finds the boulanger trainings");
    }

    [Fact]
    public async Task An_offer_past_its_expiration_date_is_not_found_and_not_counted()
    {
        long now = ApiHost.Now.ToUnixTimeMilliseconds();
        bool Expired(MatchaItem m) => OfferDates.ExpiresAt(m) <= now;
        MatchaItem[] active = [.. host.Matchas.Where(m => m.IsActive)];
        MatchaItem expired = active.First(Expired);
        MatchaItem live = active.First(m => !Expired(m));
        foreach (MatchaItem offer in new[] { expired, live })
        {
            string url = $"/api/v1/search?q={Esc(offer.RomeAppellationLabel!)}&mode=emplois&latitude={Inv(offer.Latitude)}&longitude={Inv(offer.Longitude)}&radius=0&hitsPerPage=100";
            var body = await host.Http.GetOk(url);
            bool found = body.GetProperty("hits").EnumerateArray().Any(h => h.GetProperty("id").GetString() == offer.Id);
            Assert.True(found == !Expired(offer), $"{offer.Id} (expires {offer.JobExpirationDate}) found: {found}");
            Assert.Equal(Oracle.Search(new TextOracleQuery
            {
                Q = offer.RomeAppellationLabel!, Sources = [Source.PeJob, Source.Matcha, Source.Company], HasCenter = true,
                Latitude = offer.Latitude, Longitude = offer.Longitude, RadiusKm = 0, HitsPerPage = 100,
            }).NbHits, body.GetProperty("nbHits").GetInt32());
        }
    }

    [Theory]
    [InlineData("hitsPerPage=0", TextSearch.TextSearchMessages.HitsPerPageBad)]
    [InlineData("hitsPerPage=1000", TextSearch.TextSearchMessages.HitsPerPageBad)]
    [InlineData("hitsPerPage=ten", TextSearch.TextSearchMessages.HitsPerPageBad)]
    [InlineData("page=-1", TextSearch.TextSearchMessages.PageBad)]
    [InlineData("page=20&hitsPerPage=50", TextSearch.TextSearchMessages.DepthBad)]
    [InlineData("latitude=48.85", TextSearch.TextSearchMessages.LocationHalf)]
    [InlineData("longitude=2.35", TextSearch.TextSearchMessages.LocationHalf)]
    [InlineData("latitude=abc&longitude=2", "latitude : Search center latitude must be a number.")]
    [InlineData("latitude=95&longitude=2", "latitude : Search center latitude must be a number between -90 and 90.")]
    [InlineData("latitude=45&longitude=2&radius=201", TextSearch.TextSearchMessages.RadiusRange)]
    [InlineData("radius=10", TextSearch.TextSearchMessages.RadiusWithoutCenter)]
    [InlineData("sort=price", TextSearch.TextSearchMessages.SortBad)]
    [InlineData("sort=proximity", TextSearch.TextSearchMessages.SortProximityWithoutCenter)]
    [InlineData("admin_area=departement:99", TextSearch.TextSearchMessages.AreaBad)]
    [InlineData("admin_area=region:99", TextSearch.TextSearchMessages.AreaBad)]
    [InlineData("admin_area=canton:12", TextSearch.TextSearchMessages.AreaBad)]
    [InlineData("admin_area=region:53&latitude=48&longitude=2", TextSearch.TextSearchMessages.AreaAndCenter)]
    [InlineData("mode=tout", TextSearch.TextSearchMessages.ModeBad)]
    [InlineData("contract_type=CDI", TextSearch.TextSearchMessages.ContractTypeBad)]
    [InlineData("level=8", TextSearch.TextSearchMessages.LevelBad)]
    [InlineData("type_filter_label=Stages", TextSearch.TextSearchMessages.TypeFilterLabelBad)]
    [InlineData("start_date=2026-13-01", TextSearch.TextSearchMessages.StartDateBad)]
    [InlineData("smart_apply=yes", "smart_apply : smart_apply must be true or false.")]
    public async Task A_bad_parameter_is_a_400_with_its_message(string parameters, string message)
    {
        string[] messages = await host.Http.GetWrongParameters("/api/v1/search?q=vente&" + parameters);
        Assert.Contains(message, messages);
    }

    [Fact]
    public async Task A_too_long_text_is_a_400_and_every_message_comes_at_once()
    {
        string[] messages = await host.Http.GetWrongParameters("/api/v1/search?q=" + new string('a', 201) + "&hitsPerPage=0&page=-1&latitude=48&sort=nope");
        Assert.Equal(
            [TextSearch.TextSearchMessages.QueryTooLong, TextSearch.TextSearchMessages.LocationHalf, TextSearch.TextSearchMessages.SortBad,
             TextSearch.TextSearchMessages.PageBad, TextSearch.TextSearchMessages.HitsPerPageBad],
            messages);
        await host.Http.GetOk("/api/v1/search?q=" + new string('a', 200));
    }

    [Fact]
    public async Task Suggestions_complete_every_word_and_honour_the_limit()
    {
        var rng = new Random(7);
        SearchItem[] items = [.. AllItems];
        int answered = 0;
        for (int n = 0; n < 60; n++)
        {
            string word = WordOf(items[rng.Next(items.Length)], rng);
            string prefix = word[..Math.Max(3, Math.Min(word.Length, 3 + rng.Next(5)))];
            int limit = 1 + rng.Next(20);
            var body = await host.Http.GetOk($"/api/v1/search/suggest?q={Esc(prefix)}&limit={limit}");
            JsonElement[] suggestions = [.. body.GetProperty("suggestions").EnumerateArray()];
            Assert.True(suggestions.Length <= limit);
            string folded = TextOracle.Fold(prefix);
            foreach (JsonElement s in suggestions)
            {
                string text = s.GetProperty("text").GetString()!;
                Assert.Contains(s.GetProperty("kind").GetString(), new[] { "title", "organisation", "rome", "appellation" });
                Assert.True(TextOracle.Fold(text).Split([' ', '(', ')', ',', '-', '/', '\'', '.', '&'], StringSplitOptions.RemoveEmptyEntries)
                    .Any(w => w.StartsWith(folded, StringComparison.Ordinal)), $"'{text}' completes '{prefix}'");
            }
            if (suggestions.Length > 0) answered++;
        }
        Assert.True(answered >= 50, $"{answered} of 60 prefixes of the items' words had completions");

        // An appellation of the referential that no item is titled with is still suggested.
        var titles = AllItems.Select(ItemDocument.Title).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var appellation = host.Reference.Appellations.First(a => a.Label.Split(' ').Length >= 3 && !titles.Any(t => t.Contains(a.Label, StringComparison.OrdinalIgnoreCase)));
        var found = await host.Http.GetOk($"/api/v1/search/suggest?q={Esc(appellation.Label)}&limit=20");
        Assert.Contains(found.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("text").GetString() == appellation.Label && s.GetProperty("kind").GetString() == "appellation");
    }

    [Theory]
    [InlineData("q=ab", TextSearch.TextSearchMessages.SuggestQueryLength)]
    [InlineData("limit=5", TextSearch.TextSearchMessages.SuggestQueryLength)]
    [InlineData("q=boulanger&limit=0", TextSearch.TextSearchMessages.SuggestLimitBad)]
    [InlineData("q=boulanger&limit=21", TextSearch.TextSearchMessages.SuggestLimitBad)]
    public async Task A_bad_suggest_parameter_is_a_400(string parameters, string message)
    {
        string[] messages = await host.Http.GetWrongParameters("/api/v1/search/suggest?" + parameters);
        Assert.Contains(message, messages);
    }
}
