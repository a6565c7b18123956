using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using IRequest = Microsoft.Playwright.IRequest;

namespace Alternance.Widget.Tests;

/// <summary>The search page from its URL parameters: its lists against the API's answer, its map, its cards.</summary>
[Collection(WidgetCollection.Name)]
public sealed class SearchPageTests(WidgetFixture fixture)
{
    /// <summary>Paris and two ROME codes the small dataset holds trainings, offers and companies for.</summary>
    private const string Romes = "M1607,M1805";
    private const double Lat = 48.85, Lon = 2.35;

    private static string Query(int radius = 30) =>
        FormattableString.Invariant($"caller={WidgetFixture.Caller}&romes={Romes}&lat={Lat}&lon={Lon}&radius={radius}");

    private static string ApiQuery(int radius = 30) =>
        FormattableString.Invariant($"caller={WidgetFixture.Caller}&romes={Romes}&latitude={Lat}&longitude={Lon}&radius={radius}");

    /// <summary>What each list must show first, from the API's own answer: trainings and companies in the API's order;
    /// offers are the posted ones then the national ones, merged by their distance (ties in that order).</summary>
    private static Dictionary<string, List<string>> Expected(JsonElement? formations, JsonElement? jobs)
    {
        var expected = new Dictionary<string, List<string>>();
        if (formations is { } f) expected["formation"] = Keys(f, "formation");
        if (jobs is { } j)
        {
            var offers = new List<(double Distance, int Order, string Key)>();
            int order = 0;
            foreach (string source in new[] { "matchas", "peJobs" })
            {
                foreach (JsonElement item in j.GetProperty(source).GetProperty("results").EnumerateArray())
                {
                    offers.Add((item.GetProperty("place").GetProperty("distance").GetDouble(), order++, Key(item)));
                }
            }
            offers.Sort((a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.Order.CompareTo(b.Order));
            expected["offer"] = offers.Select(o => o.Key).ToList();
            expected["company"] = Keys(j.GetProperty("lbaCompanies"), "company");
        }
        return expected;
    }

    private static List<string> Keys(JsonElement slot, string kind) =>
        slot.GetProperty("results").EnumerateArray().Select(Key).ToList();

    /// <summary>Upper case without accents: the order of the (plain, upper-case) company names of the dataset.</summary>
    private static string Plain(string text)
    {
        const string accented = "ÀÂÄÁÃÇÉÈÊËÎÏÍÌÔÖÓÒÕÙÛÜÚŸÝÑ";
        const string plain = "AAAAACEEEEIIIIOOOOOUUUUYYN";
        var chars = text.ToUpperInvariant().ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            int at = accented.IndexOf(chars[i]);
            if (at >= 0) chars[i] = plain[at];
        }
        return new string(chars);
    }

    private static string Key(JsonElement item) => item.GetProperty("ideaType").GetString() + ":" + item.GetProperty("id").GetString();

    private static async Task<List<string>> Listed(IPage page, string kind) =>
        [.. await page.Locator($"#group-{kind} .result").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.key)")];

    // Training searches reach further: the small dataset holds fewer trainings than offers.
    public static TheoryData<string, string, int> Scopes => new()
    {
        { "/recherche", "all", 30 },
        { "/recherche-apprentissage", "all", 30 },
        { "/recherche-emploi", "job", 30 },
        { "/recherche-apprentissage-formation", "training", 100 },
        { "/recherche?scope=training", "training", 100 },
    };

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task A_search_from_url_parameters_lists_the_api_first_results_in_order_and_shows_their_markers(string path, string scope, int radius)
    {
        JsonElement? formations = null, jobs = null;
        if (scope == "all")
        {
            JsonElement both = await fixture.Api("/api/v1/jobsEtFormations?" + ApiQuery(radius));
            formations = both.GetProperty("formations");
            jobs = both.GetProperty("jobs");
        }
        if (scope == "training") formations = await fixture.Api("/api/v1/formations?" + ApiQuery(radius));
        if (scope == "job") jobs = await fixture.Api("/api/v1/jobs?" + ApiQuery(radius));
        Dictionary<string, List<string>> expected = Expected(formations, jobs);
        Assert.Contains(expected, e => e.Value.Count > 0);

        await using WidgetPage w = await fixture.NewPage();
        await w.Goto(path + (path.Contains('?') ? "&" : "?") + Query(radius));
        await w.WaitForResults();

        var listedKeys = new List<string>();
        foreach (string kind in new[] { "formation", "offer", "company" })
        {
            if (!expected.TryGetValue(kind, out List<string>? keys))
            {
                Assert.Equal(0, await w.Page.Locator($"#group-{kind}").CountAsync());
                continue;
            }
            List<string> listed = await Listed(w.Page, kind);
            Assert.Equal(keys.Take(10), listed);
            // The group's counter is the API's count.
            Assert.Equal($"({keys.Count})", await w.Page.Locator($"#group-{kind} .group__count").InnerTextAsync());
            listedKeys.AddRange(listed);
        }

        // Every listed item has its marker: on the map on its own, or counted in a cluster; and no other marker.
        await w.Page.WaitForFunctionAsync("() => !document.querySelector('.leaflet-zoom-anim')");
        string[] markers = await w.Page.Locator(".leaflet-marker-pane .marker").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.key)");
        int[] clusters = await w.Page.Locator(".leaflet-marker-pane .cluster").EvaluateAllAsync<int[]>("els => els.map(e => parseInt(e.textContent, 10))");
        Assert.Subset(listedKeys.ToHashSet(), markers.ToHashSet());
        Assert.Equal(markers.Length, markers.Distinct().Count());
        Assert.Equal(listedKeys.Count, markers.Length + clusters.Sum());

        // "Voir plus" lists the next ten, still in the API's order (the small dataset has fewer than 11 trainings here).
        foreach (var (kind, keys) in expected)
        {
            Assert.Equal(keys.Count > 10, await w.Page.Locator($"#group-{kind} .more").CountAsync() == 1);
        }
        if (expected.FirstOrDefault(e => e.Value.Count > 10) is { Key: { } richest })
        {
            await w.Page.Locator($"#group-{richest} .more").ClickAsync();
            Assert.Equal(expected[richest].Take(20), await Listed(w.Page, richest));
        }
        else
        {
            Assert.Equal("training", scope);
        }
        Assert.Empty(w.Errors);
    }

    [Fact]
    public async Task Every_api_call_of_the_page_carries_the_caller()
    {
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto("/recherche?" + Query().Replace(WidgetFixture.Caller, "site-partenaire", StringComparison.Ordinal));
        await w.WaitForResults();
        await w.Page.Locator(".result__open").First.ClickAsync();
        await w.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var calls = w.Requests.Where(r => new Uri(r.Url).AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(calls);
        foreach (IRequest call in calls)
        {
            Assert.Contains("caller=site-partenaire", call.Url + " " + call.PostData, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_marker_click_opens_its_card_and_hovering_a_card_marks_its_marker()
    {
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto("/recherche-emploi?" + Query());
        await w.WaitForResults();
        await w.Page.WaitForFunctionAsync("() => !document.querySelector('.leaflet-zoom-anim')");

        // A cluster opens into its markers; a marker opens its item's card.
        ILocator single = w.Page.Locator(".leaflet-marker-pane .marker");
        if (await single.CountAsync() == 0)
        {
            await w.Page.Locator(".leaflet-marker-pane .cluster").First.ClickAsync();
            await single.First.WaitForAsync();
        }
        ILocator marker = single.First;
        string key = (await marker.GetAttributeAsync("data-key"))!;
        string title = await w.Page.Locator($".result[data-key=\"{key}\"] .result__open").InnerTextAsync();
        await marker.ClickAsync();
        ILocator card = w.Page.Locator(".detail");
        await card.WaitForAsync();
        Assert.Equal(key, await card.GetAttributeAsync("data-key"));
        Assert.Equal(title, await card.Locator(".detail__title").InnerTextAsync());
        Assert.True(await w.Page.Locator(".results__list").IsHiddenAsync());

        // Back to the list, focus on the item it came from.
        await w.Page.Locator(".detail__back").ClickAsync();
        Assert.True(await w.Page.Locator(".results__list").IsVisibleAsync());

        // A marker is a button for the keyboard too: Enter on it opens the card.
        ILocator other = single.Nth(await single.CountAsync() - 1);
        string otherKey = (await other.GetAttributeAsync("data-key"))!;
        Assert.Equal("button", await other.GetAttributeAsync("role"));
        Assert.False(string.IsNullOrEmpty(await other.GetAttributeAsync("aria-label")));
        await other.FocusAsync();
        await w.Page.Keyboard.PressAsync("Enter");
        await w.Page.Locator($".detail[data-key=\"{otherKey}\"]").WaitForAsync();
        await w.Page.Locator(".detail__back").ClickAsync();

        // Hovering an item marks its marker, or the cluster holding it.
        ILocator first = w.Page.Locator("#group-company .result").First;
        string firstKey = (await first.GetAttributeAsync("data-key"))!;
        await first.HoverAsync();
        ILocator active = w.Page.Locator(".leaflet-marker-pane .is-active");
        Assert.Equal(1, await active.CountAsync());
        string? activeKey = await active.GetAttributeAsync("data-key");
        if (activeKey is not null) Assert.Equal(firstKey, activeKey);
        else Assert.Contains("cluster", await active.GetAttributeAsync("class") ?? "");
        Assert.Empty(w.Errors);
    }

    [Fact]
    public async Task The_search_form_works_with_the_keyboard_and_a_card_closes_back_to_its_item()
    {
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/recherche?caller={WidgetFixture.Caller}");
        IPage page = w.Page;
        await page.Locator("#search-job").FocusAsync();
        await page.Keyboard.TypeAsync("secr");
        await page.Locator("#search-job[aria-expanded=true]").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        string option = await page.Locator("[role=option][aria-selected=true]").InnerTextAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(option, await page.Locator("#search-job").InputValueAsync());
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("search-place", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("Lyon");
        await page.Locator("#search-place[aria-expanded=true]").WaitForAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        Assert.StartsWith("Lyon", await page.Locator("#search-place").InputValueAsync());
        await page.Keyboard.PressAsync("Enter");
        await w.WaitForResults();
        Assert.Contains("autour de Lyon", await page.Locator(".status").InnerTextAsync());
        // The search is in the URL: a reload or a shared link shows it.
        Assert.Contains("romes=", page.Url);
        Assert.Contains("lat=45.7", page.Url);

        // Enter on an item opens its card with the focus on its title; Escape brings the focus back to the item.
        ILocator first = page.Locator(".result__open").First;
        string title = await first.InnerTextAsync();
        await first.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".detail__title").WaitForAsync();
        Assert.Equal(title, await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal(title, await page.EvaluateAsync<string>("document.activeElement.textContent"));
        Assert.True(await page.EvaluateAsync<bool>("document.activeElement.classList.contains('result__open')"));
        Assert.Empty(w.Errors);
    }

    [Fact]
    public async Task Filters_and_sort_change_the_lists_as_the_api_answers()
    {
        // The diploma filter asks the API again, with the diploma.
        JsonElement filtered = await fixture.Api("/api/v1/jobsEtFormations?" + ApiQuery(60) + "&diploma=" + Uri.EscapeDataString("6 (Licence, BUT...)"));
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto("/recherche?" + Query(60));
        await w.WaitForResults();
        await w.Page.EvaluateAsync("performance.clearMarks()");
        await w.Page.Locator("#search-diploma").SelectOptionAsync("6 (Licence, BUT...)");
        await w.WaitForResults();
        Dictionary<string, List<string>> expected = Expected(filtered.GetProperty("formations"), filtered.GetProperty("jobs"));
        Assert.Equal(expected["formation"].Take(10), await Listed(w.Page, "formation"));
        Assert.Equal(expected["offer"].Take(10), await Listed(w.Page, "offer"));

        // The kind chips show one group at a time.
        await w.Page.Locator(".chip[data-kind=company]").ClickAsync();
        Assert.Equal(0, await w.Page.Locator("#group-formation").CountAsync());
        Assert.Equal(expected["company"].Take(10), await Listed(w.Page, "company"));
        Assert.Equal("true", await w.Page.Locator(".chip[data-kind=company]").GetAttributeAsync("aria-pressed"));

        // Sorting by name orders the titles alphabetically, ignoring case and accents (equal names keep the API's order).
        await w.Page.Locator(".chip[data-kind=all]").ClickAsync();
        await w.Page.Locator("#search-sort").SelectOptionAsync("name");
        string[] titles = await w.Page.Locator("#group-company .result__open").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)");
        var allTitles = filtered.GetProperty("jobs").GetProperty("lbaCompanies").GetProperty("results").EnumerateArray()
            .Select(i => i.GetProperty("title").GetString()!).OrderBy(Plain, StringComparer.Ordinal).ToList();
        Assert.Equal(allTitles.Take(10), titles);
        Assert.Empty(w.Errors);
    }

    [Fact]
    public async Task A_search_with_no_training_nearby_shows_the_nearest_ones_as_the_api_widens()
    {
        // A point in the sea off Brittany with a 10 km radius: the API answers the 5 nearest trainings anywhere.
        string query = FormattableString.Invariant($"caller={WidgetFixture.Caller}&romes={Romes}&latitude=47.0&longitude=-6.5&radius=10");
        JsonElement api = await fixture.Api("/api/v1/formations?" + query);
        List<string> keys = Keys(api, "formation");
        Assert.Equal(5, keys.Count);
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/recherche-apprentissage-formation?caller={WidgetFixture.Caller}&romes={Romes}&lat=47.0&lon=-6.5&radius=10");
        await w.WaitForResults();
        Assert.Equal(keys, await Listed(w.Page, "formation"));
        Assert.Contains("Aucune formation à moins de 10 km", await w.Page.Locator("#group-formation").InnerTextAsync());
    }

    [Fact]
    public async Task An_empty_job_search_widens_its_radius_until_it_finds_opportunities()
    {
        // Same point: nothing within 10 km; the page asks again at 30, 60, 100 then 200 km, and lists what the API
        // answers at the first radius with results.
        int found = 0;
        JsonElement wider = default;
        foreach (int radius in new[] { 30, 60, 100, 200 })
        {
            wider = await fixture.Api(FormattableString.Invariant($"/api/v1/jobs?caller={WidgetFixture.Caller}&romes={Romes}&latitude=47.0&longitude=-6.5&radius={radius}"));
            if (Expected(null, wider).Sum(e => e.Value.Count) > 0)
            {
                found = radius;
                break;
            }
        }
        Assert.True(found > 0);
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/recherche-emploi?caller={WidgetFixture.Caller}&romes={Romes}&lat=47.0&lon=-6.5&radius=10");
        await w.WaitForResults();
        Dictionary<string, List<string>> expected = Expected(null, wider);
        Assert.Equal(expected["offer"].Take(10), await Listed(w.Page, "offer"));
        Assert.Equal(expected["company"].Take(10), await Listed(w.Page, "company"));
        Assert.Contains($"voici celles à moins de {found} km", await w.Page.Locator("#group-offer").InnerTextAsync());
    }

    [Fact]
    public async Task Without_romes_the_page_shows_the_form_and_the_places_of_its_url()
    {
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto($"/recherche-apprentissage?caller={WidgetFixture.Caller}&insee=69123&job_name=Boulanger");
        await w.Page.Locator("#search-place").WaitForAsync();
        await w.Page.WaitForFunctionAsync("() => document.querySelector('#search-place').value !== ''");
        Assert.StartsWith("Lyon", await w.Page.Locator("#search-place").InputValueAsync());
        Assert.Equal("Boulanger", await w.Page.Locator("#search-job").InputValueAsync());
        Assert.Equal(0, await w.Page.Locator(".result").CountAsync());
        Assert.Contains("Indiquez un métier", await w.Page.Locator(".status").InnerTextAsync());

        // frozen_job: the job is locked to the given ROME codes.
        await w.Goto($"/recherche?caller={WidgetFixture.Caller}&romes={Romes}&job_name=Secr%C3%A9tariat&frozen_job=1&lat={Lat.ToString(CultureInfo.InvariantCulture)}&lon={Lon.ToString(CultureInfo.InvariantCulture)}&radius=10");
        await w.WaitForResults();
        Assert.True(await w.Page.Locator("#search-job").IsDisabledAsync());
        Assert.Equal("Secrétariat", await w.Page.Locator("#search-job").InputValueAsync());
        // displayMap=false: no map.
        await w.Goto($"/recherche?caller={WidgetFixture.Caller}&romes={Romes}&displayMap=false");
        await w.WaitForResults();
        Assert.Equal(0, await w.Page.Locator("#map").CountAsync());
        Assert.Empty(w.Errors);
    }
}
