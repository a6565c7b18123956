using System.Globalization;
using System.Net;
using Alternance.Data;
using Microsoft.Playwright;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// <c>widget</c> mode: how long the search page takes to show its first results, in Debian's headless chromium
/// (<c>/usr/bin/chromium</c>, through Playwright), on a running API: from the navigation's start to the page's
/// <c>widget:results</c> mark (the lists in the page; painted right after) and to its <c>widget:map</c> mark (their
/// markers placed, in the next task). Each search (the HTTP benchmarks' requests:
/// 1–3 popular ROME codes around a populous commune, 30 km, trainings and jobs) is loaded cold (a new browser context:
/// nothing cached) and warm (the page's bundles cached, as for a returning visitor); the baseline, measured in the same
/// slices, is the same API call alone fetched by a page of the same origin (<c>fetch</c>, JSON parsed, no cache). Every
/// search is asked of the server once beforehand, so that both sides find its answers warm.
/// <para>Start the server: <c>dotnet run -c Release --project api -- --RateLimiting:Enabled=false</c>; then:
/// <c>dotnet run -c Release --project tests/Alternance.Benchmarks -- widget [--url http://localhost:8080] [--searches 15]
/// [--rounds 4]</c>.</para>
/// </summary>
public static class WidgetBenchmark
{
    private const string Chromium = "/usr/bin/chromium";

    public static async Task<int> RunAsync(string[] args)
    {
        string url = HttpLoad.Option(args, "--url", "http://localhost:8080").TrimEnd('/');
        int searches = int.Parse(HttpLoad.Option(args, "--searches", "15"), CultureInfo.InvariantCulture);
        int rounds = Math.Max(1, int.Parse(HttpLoad.Option(args, "--rounds", "4"), CultureInfo.InvariantCulture));
        if (!File.Exists(Chromium))
        {
            Console.Error.WriteLine($"{Chromium} is missing: apt-get install -y chromium.");
            return 1;
        }
        // A new search for every load: the browser would otherwise answer a repeated search from its cache (max-age 30).
        ReferenceData reference = ReferenceData.Load();
        var drawn = BenchmarkRequests.Draw(reference, new Random(BenchmarkRequests.Seed), searches * rounds);
        string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
        string[] pages = [.. drawn.Select(r => $"/recherche?caller=benchmark&romes={string.Join(',', r.Romes)}&lat={Invariant(r.Place.Latitude)}&lon={Invariant(r.Place.Longitude)}&radius=30")];
        string[] apis = [.. drawn.Select(r => $"/api/v1/jobsEtFormations?romes={string.Join(',', r.Romes)}&latitude={Invariant(r.Place.Latitude)}&longitude={Invariant(r.Place.Longitude)}&radius=30&caller=benchmark")];

        using (HttpClient warm = HttpLoad.Client(url, 4))
        {
            using HttpResponseMessage ready = await warm.GetAsync("/health/ready");
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                Console.Error.WriteLine($"{url}/health/ready answered {(int)ready.StatusCode}: start the API first (see the summary of WidgetBenchmark).");
                return 1;
            }
            foreach (string api in apis)
            {
                using HttpResponseMessage r = await warm.GetAsync(api);
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    Console.Error.WriteLine($"{api} answered {(int)r.StatusCode} (rate limits on? start the API with --RateLimiting:Enabled=false).");
                    return 1;
                }
            }
        }

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var options = new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = url, Locale = "fr-FR" };
        await using IBrowserContext returning = await browser.NewContextAsync(options);
        IPage warmPage = await returning.NewPageAsync();
        IPage apiPage = await returning.NewPageAsync();
        await apiPage.GotoAsync("/widget/licences");
        // The returning visitor has seen the page once.
        await Load(warmPage, "/recherche?caller=benchmark");

        Console.WriteLine($"Widget benchmark: {searches} searches × {rounds} rounds on {url}, headless chromium 1280×900; "
            + $"this machine has {Environment.ProcessorCount} logical CPUs shared with the server and other work.");
        var cold = new List<double>();
        var warmTimes = new List<double>();
        var coldMap = new List<double>();
        var warmMap = new List<double>();
        var baseline = new List<double>();
        var ratios = new List<string>();
        for (int round = 0; round < rounds; round++)
        {
            var roundWarm = new List<double>();
            var roundBase = new List<double>();
            for (int i = round * searches; i < (round + 1) * searches; i++)
            {
                await using (IBrowserContext fresh = await browser.NewContextAsync(options))
                {
                    var (c, cm) = await Load(await fresh.NewPageAsync(), pages[i]);
                    cold.Add(c);
                    coldMap.Add(cm);
                }
                var (w, wm) = await Load(warmPage, pages[i]);
                warmMap.Add(wm);
                double b = await apiPage.EvaluateAsync<double>(
                    "async url => { const t = performance.now(); const r = await fetch(url, { cache: 'no-store' }); await r.json(); return performance.now() - t; }", apis[i]);
                warmTimes.Add(w);
                baseline.Add(b);
                roundWarm.Add(w);
                roundBase.Add(b);
            }
            ratios.Add((Median(roundWarm) / Median(roundBase)).ToString("0.0", CultureInfo.InvariantCulture));
        }

        Console.WriteLine();
        Console.WriteLine("| first results visible (ms from navigation start) | median | p90 | max |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| cold (new visitor: page, bundles, base map, API) | {Median(cold):0} | {Percentile(cold, 0.9):0} | {cold.Max():0} |");
        Console.WriteLine($"| warm (bundles cached) | {Median(warmTimes):0} | {Percentile(warmTimes, 0.9):0} | {warmTimes.Max():0} |");
        Console.WriteLine($"| their markers on the map, cold | {Median(coldMap):0} | {Percentile(coldMap, 0.9):0} | {coldMap.Max():0} |");
        Console.WriteLine($"| their markers on the map, warm | {Median(warmMap):0} | {Percentile(warmMap, 0.9):0} | {warmMap.Max():0} |");
        Console.WriteLine($"| baseline: the same API call alone (fetch + JSON) | {Median(baseline):0} | {Percentile(baseline, 0.9):0} | {baseline.Max():0} |");
        Console.WriteLine();
        Console.WriteLine($"Warm page / API call alone (median, per round): {string.Join(", ", ratios)}; cold / warm: {Median(cold) / Median(warmTimes):0.0}×.");
        return 0;
    }

    /// <summary>Loads a search page; answers when its first results, then their markers, were in the page (ms after the
    /// navigation started).</summary>
    private static async Task<(double Results, double Map)> Load(IPage page, string path)
    {
        await page.GotoAsync(path);
        if (!path.Contains("romes=", StringComparison.Ordinal)) return (0, 0);
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('widget:map').length > 0", null, new() { Timeout = 30_000 });
        double[] marks = await page.EvaluateAsync<double[]>(
            "['widget:results', 'widget:map'].map(n => performance.getEntriesByName(n)[0].startTime)");
        return (marks[0], marks[1]);
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
