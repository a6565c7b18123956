using System.Globalization;
using System.Net;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using IRequest = Microsoft.Playwright.IRequest;

namespace Alternance.Widget.Tests;

/// <summary>What every page owes its users: small screens, accessibility, weight, no third party, embedding.</summary>
[Collection(WidgetCollection.Name)]
public sealed class PageQualityTests(WidgetFixture fixture)
{
    private const string Search = "caller=widget-tests&romes=M1607,M1805&lat=48.85&lon=2.35&radius=30";

    /// <summary>Every page, in a state worth looking at: (name, URL, what to wait for, what to do then).</summary>
    private IEnumerable<(string Name, string Url, Func<WidgetPage, Task> Ready)> Pages()
    {
        MatchaItem offer = fixture.Host.LiveOffer();
        FormationItem training = fixture.Host.Formations.First(f => !string.IsNullOrEmpty(f.Email) && f.Email.Contains('@'));
        string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
        yield return ("recherche", "/recherche?" + Search, w => w.WaitForResults());
        yield return ("recherche-emploi", "/recherche-emploi?" + Search, w => w.WaitForResults());
        yield return ("recherche-apprentissage-formation", "/recherche-apprentissage-formation?" + Search.Replace("radius=30", "radius=100"), w => w.WaitForResults());
        yield return ("recherche-formulaire", "/recherche-apprentissage?caller=widget-tests", w => w.Page.Locator("#search-job").WaitForAsync());
        yield return ("recherche-fiche-offre", $"/recherche-emploi?caller=widget-tests&romes={offer.RomeCodes[0]}&lat={Invariant(offer.Latitude)}&lon={Invariant(offer.Longitude)}&radius=10&itemId={offer.Id}&type=matcha",
            w => w.Page.Locator(".detail .apply-button").WaitForAsync());
        yield return ("recherche-fiche-formation", $"/recherche-apprentissage-formation?caller=widget-tests&romes={training.RomeCodes[0]}&lat={Invariant(training.Latitude)}&lon={Invariant(training.Longitude)}&radius=10&itemId={Uri.EscapeDataString(training.Id)}&type=training",
            w => w.Page.Locator(".detail .appointment-button").WaitForAsync());
        yield return ("postuler", $"/postuler?caller=widget-tests&itemId={offer.Id}&type=matcha", w => w.Page.Locator("form.form").WaitForAsync());
        yield return ("rdva", $"/rdva?cleMinistereEducatif={Uri.EscapeDataString(training.Id)}&referrer=lba", w => w.Page.Locator("form.form").WaitForAsync());
        yield return ("espace-pro-widget", "/espace-pro/widget/tests", w => w.Page.Locator("form.form").WaitForAsync());
        yield return ("test-widget", "/test-widget", async w =>
        {
            await w.Page.Locator("#search-snippet").WaitForAsync();
            await w.Page.FrameLocator("#search-frame").Locator(".result").First.WaitForAsync();
        });
        yield return ("licences", "/widget/licences", _ => Task.CompletedTask);
    }

    private async Task<WidgetPage> Open(string url, Func<WidgetPage, Task> ready, int width, int height = 900)
    {
        WidgetPage w = await fixture.NewPage(width, height);
        await w.Goto(url);
        await ready(w);
        await w.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return w;
    }

    [Fact]
    public async Task No_page_scrolls_sideways_at_320_pixels()
    {
        var failures = new List<string>();
        foreach (var (name, url, ready) in Pages())
        {
            await using WidgetPage w = await Open(url, ready, 320, 700);
            int[] widths = await w.Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1]) failures.Add($"{name}: {widths[0]} px wide in a {widths[1]} px viewport");
            failures.AddRange(w.Errors.Select(e => $"{name}: {e}"));
        }
        // The dialogs too.
        (string _, string postuler, Func<WidgetPage, Task> cardReady) = Pages().First(p => p.Name == "recherche-fiche-offre");
        await using (WidgetPage w = await Open(postuler, cardReady, 320, 700))
        {
            await w.Page.Locator(".detail .apply-button").ClickAsync();
            await w.Page.Locator("dialog[open] form").WaitForAsync();
            int[] widths = await w.Page.EvaluateAsync<int[]>("(() => { const d = document.querySelector('dialog[open]'); return [d.scrollWidth, d.clientWidth, document.documentElement.scrollWidth, document.documentElement.clientWidth]; })()");
            if (widths[0] > widths[1] || widths[2] > widths[3]) failures.Add($"application dialog: {string.Join('/', widths)}");
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_any_page()
    {
        var failures = new List<string>();
        foreach (int width in new[] { 1280, 375 })
        {
            foreach (var (name, url, ready) in Pages())
            {
                await using WidgetPage w = await Open(url, ready, width);
                failures.AddRange(await Violations(w.Page, $"{name} ({width} px)"));
            }
        }
        // With a dialog open, and with the map shown on a phone.
        (string _, string card, Func<WidgetPage, Task> cardReady) = Pages().First(p => p.Name == "recherche-fiche-offre");
        await using (WidgetPage w = await Open(card, cardReady, 1280))
        {
            await w.Page.Locator(".detail .apply-button").ClickAsync();
            await w.Page.Locator("dialog[open] form").WaitForAsync();
            failures.AddRange(await Violations(w.Page, "application dialog"));
        }
        await using (WidgetPage w = await Open("/recherche?" + Search, p => p.WaitForResults(), 375))
        {
            await w.Page.Locator(".view-toggle").ClickAsync();
            await w.Page.Locator(".map-panel").WaitForAsync();
            failures.AddRange(await Violations(w.Page, "map on a phone"));
        }
        Assert.Empty(failures);
    }

    private static async Task<IEnumerable<string>> Violations(IPage page, string where)
    {
        AxeResult result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{where}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
    }

    [Fact]
    public async Task Each_page_loads_at_most_200_KB_of_gzipped_scripts_and_styles_map_included_and_nothing_from_elsewhere()
    {
        using var handler = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = fixture.BaseAddress };
        var failures = new List<string>();
        foreach (var (name, url, ready) in Pages())
        {
            await using WidgetPage w = await Open(url, ready, 1280);
            // What the page itself loads (the tester page's live widgets are pages of their own).
            var assets = w.Requests
                .Where(r => r.Frame == w.Page.MainFrame && (r.ResourceType is "script" or "stylesheet" || r.Url.Contains("/widget/assets/", StringComparison.Ordinal)))
                .Select(r => r.Url).Distinct().ToList();
            long total = 0;
            foreach (string asset in assets)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, asset);
                request.Headers.AcceptEncoding.ParseAdd("gzip");
                using HttpResponseMessage response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
                total += (await response.Content.ReadAsByteArrayAsync()).Length;
            }
            if (name.StartsWith("recherche", StringComparison.Ordinal))
            {
                // The search page's weight includes the map: Leaflet, its clusters and the base map.
                Assert.Contains(assets, a => a.Contains("/widget/assets/basemap.", StringComparison.Ordinal));
            }
            if (total > 200 * 1024) failures.Add($"{name}: {total / 1024.0:0.0} KB gzipped");
            Assert.True(total > 0, name);
            // No CDN, no tiles, no fonts from anywhere else.
            foreach (IRequest request in w.Requests)
            {
                var uri = new Uri(request.Url);
                if (uri.Scheme is "data" or "about") continue;
                if (uri.Host != fixture.BaseAddress.Host || uri.Port != fixture.BaseAddress.Port) failures.Add($"{name}: third-party request {request.Url}");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Screenshots_of_every_page_at_1280_and_375_pixels()
    {
        foreach (int width in new[] { 1280, 375 })
        {
            foreach (var (name, url, ready) in Pages())
            {
                await using WidgetPage w = await Open(url, ready, width);
                await Screenshots.Save(w.Page, $"{name}-{width}");
                Assert.Empty(w.Errors);
            }
        }
        await using (WidgetPage w = await Open("/recherche?" + Search, p => p.WaitForResults(), 375))
        {
            await w.Page.Locator(".view-toggle").ClickAsync();
            await w.Page.WaitForTimeoutAsync(300);
            await Screenshots.Save(w.Page, "recherche-carte-375");
        }
        Assert.True(Directory.EnumerateFiles(Screenshots.Folder, "*-375.png").Count() >= Pages().Count());
    }

    [Fact]
    public async Task Framed_the_page_hides_its_header_and_footer_and_its_logo_posts_goToPage_to_the_host()
    {
        await using WidgetPage w = await fixture.NewPage();
        await w.Goto("/test-widget");
        IPage page = w.Page;
        // The host site's logo and its return address, as a reuser sets them.
        await page.GetByLabel(Labels.Exactly("Logo du site (URL https)")).FillAsync(fixture.BaseAddress + "logo-du-site.png");
        await page.GetByLabel(Labels.Exactly("Adresse de retour (return_uri)")).FillAsync("/mon-espace");
        await page.GetByLabel(Labels.Exactly("Couleur principale (hexadécimal)")).FillAsync("ffd700");
        await page.Locator("form button[type=submit]").First.ClickAsync();
        string snippet = await page.Locator("#search-snippet").InnerTextAsync();
        Assert.Contains("<iframe src=\"" + fixture.BaseAddress.ToString().TrimEnd('/') + "/recherche-apprentissage?caller=mon-site", snippet);
        Assert.Contains("return_logo_url=", snippet);

        IFrameLocator frame = page.FrameLocator("#search-frame");
        await frame.Locator(".result").First.WaitForAsync();
        Assert.True(await frame.Locator(".site-footer").IsHiddenAsync());
        Assert.True(await frame.Locator(".brand").IsHiddenAsync());
        // The colour is the host's, darkened until white text on it is readable.
        string primary = await frame.Locator("html").EvaluateAsync<string>("e => getComputedStyle(e).getPropertyValue('--primary').trim()");
        Assert.NotEqual("#000091", primary);
        Assert.NotEqual("#ffd700", primary);
        await frame.Locator("#host-logo button").ClickAsync();
        await page.Locator("li:has-text('goToPage')").WaitForAsync();
        Assert.Contains("\"page\":\"/mon-espace\"", await page.Locator("li:has-text('goToPage')").InnerTextAsync());

        // Not framed, the same page shows its header, footer and a link back instead.
        await w.Goto("/recherche?" + Search + "&return_logo_url=" + Uri.EscapeDataString(fixture.BaseAddress + "logo.png") + "&return_uri=/mon-espace");
        Assert.True(await page.Locator(".site-footer").IsVisibleAsync());
        Assert.Equal("/mon-espace", await page.Locator("#host-logo a").GetAttributeAsync("href"));
        // A return address that is not one (a script) goes to the host's root instead.
        await w.Goto("/recherche?" + Search + "&return_logo_url=" + Uri.EscapeDataString(fixture.BaseAddress + "logo.png") + "&return_uri=" + Uri.EscapeDataString("javascript:alert(1)"));
        Assert.Equal("/", await page.Locator("#host-logo a").GetAttributeAsync("href"));
    }

    [Fact]
    public async Task Pages_are_framable_by_any_site_and_allow_only_this_service_s_scripts()
    {
        foreach (string path in new[] { "/recherche", "/recherche-emploi", "/postuler", "/rdva", "/espace-pro/widget/tests", "/test-widget" })
        {
            using HttpResponseMessage response = await fixture.Host.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.False(response.Headers.Contains("X-Frame-Options"), path);
            string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors *", csp);
            Assert.Contains("script-src 'self' 'sha256-", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
        }
        using (var head = new HttpRequestMessage(HttpMethod.Head, "/recherche-emploi"))
        using (HttpResponseMessage headed = await fixture.Host.Http.SendAsync(head))
        {
            Assert.Equal(HttpStatusCode.OK, headed.StatusCode);
        }
        using HttpResponseMessage bad = await fixture.Host.Http.GetAsync("/espace-pro/widget/bad%20origin!");
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        Assert.Contains("Page introuvable", await bad.Content.ReadAsStringAsync());
    }
}
