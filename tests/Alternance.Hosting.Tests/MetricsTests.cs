using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Alternance.Hosting.Tests;

/// <summary>
/// What Prometheus scrapes from the deployed topology (a silo and an API node) and what the Grafana dashboard
/// (<c>deploy/grafana/alternance-cluster.json</c>) asks of it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed partial class MetricsTests(ClusterFixture cluster)
{
    private static readonly string DashboardPath = Path.Combine(Built.RepositoryRoot, "deploy", "grafana", "alternance-cluster.json");

    /// <summary>Labels Prometheus adds to every scraped series (not exported by the services themselves).</summary>
    private static readonly HashSet<string> ScrapeLabels = ["instance", "job"];

    [Fact]
    public async Task The_silo_exports_searches_per_cell_and_items_ingested_per_source_and_the_api_node_each_feed_s_generation_and_its_item_JSON_counters()
    {
        // Searches land on cells around Paris and Lyon; the fixture imported the four feeds with the CLI.
        await Search();
        Dictionary<string, List<Series>> silo = await Scrape(cluster.Silo, "alternance_cell_searches_total");
        Dictionary<string, List<Series>> api = await Scrape(cluster.Api, "alternance_feed_items");

        // Hot cells: one series per H3 cell searched, named by its index (resolution 3: 15 hex digits, 8 3 ...).
        List<Series> cells = silo["alternance_cell_searches_total"];
        Assert.NotEmpty(cells);
        foreach (Series cell in cells)
        {
            Assert.Matches("^83[0-9a-f]{13}$", cell.Labels["cell"]);
            Assert.True(cell.Value >= 1);
        }
        // Ingest progress: every item of every feed was staged into a cell (the CLI's replace).
        foreach (string feed in FeedsFixture.Names)
        {
            Series staged = Assert.Single(silo["alternance_ingest_items_total"], s => s.Labels["source"] == feed && s.Labels["operation"] == "staged");
            Series live = Assert.Single(api["alternance_feed_items"], s => s.Labels["source"] == feed);
            Assert.True(live.Value > 0, feed);
            Assert.Equal(live.Value, staged.Value);
            Assert.Equal(1, Assert.Single(api["alternance_feed_generation"], s => s.Labels["source"] == feed).Value);
        }
        // The front's item JSON: answers were fetched from their cells and rendered; nothing declined below the budget,
        // and that series is there at 0 all the same (the dashboard's panel reads it).
        Assert.True(Assert.Single(api["alternance_renderings_misses_total"]).Value >= 1);
        Assert.Equal(0, Assert.Single(api["alternance_renderings_declined_total"]).Value);
        Assert.Equal(0, Assert.Single(api["alternance_renderings_no_room_total"]).Value);
        // Every source's failures are there at 0 (an alert reads them) and stay there: all cells answered.
        List<Series> failures = api["alternance_search_failures_total"];
        Assert.Equal(FeedsFixture.Names.Order(StringComparer.Ordinal), failures.Select(s => s.Labels["source"]).Order(StringComparer.Ordinal));
        Assert.All(failures, s => Assert.Equal(0, s.Value));
        // The values the silo's items share (towns, labels): some, and no more than the items' shared fields.
        double shared = Assert.Single(silo["alternance_shared_strings_values"]).Value;
        double items = FeedsFixture.Names.Sum(feed => Assert.Single(api["alternance_feed_items"], s => s.Labels["source"] == feed).Value);
        Assert.InRange(shared, 1, items * 5);
    }

    [Fact]
    public async Task Every_metric_and_label_the_Grafana_dashboard_queries_is_exported_by_the_running_services()
    {
        await Search();
        Dictionary<string, List<Series>> exported = await Scrape(cluster.Api, "http_server_request_duration_seconds_count");
        foreach (var (name, series) in await Scrape(cluster.Silo, "alternance_cell_searches_total"))
        {
            if (!exported.TryAdd(name, series)) exported[name].AddRange(series);
        }

        List<string> expressions = DashboardExpressions();
        Assert.True(expressions.Count >= 20, $"{expressions.Count} queries");
        var problems = new List<string>();
        foreach (string expression in expressions)
        {
            List<string> metrics = MetricNames(expression);
            if (metrics.Count == 0) problems.Add($"no metric in: {expression}");
            var labelsOfQuery = new HashSet<string>(ScrapeLabels);
            foreach (string metric in metrics)
            {
                if (!exported.TryGetValue(metric, out List<Series>? series))
                {
                    problems.Add($"{metric} is not exported (in: {expression})");
                    continue;
                }
                foreach (Series s in series) labelsOfQuery.UnionWith(s.Labels.Keys);
            }
            foreach (string label in LabelNames(expression))
            {
                if (!labelsOfQuery.Contains(label)) problems.Add($"label {label} is on none of {string.Join(", ", metrics)} (in: {expression})");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_silo_apart_returns_a_load_s_peak_to_the_system_once_its_loads_are_quiet()
    {
        // The fixture imported the four feeds with the CLI: the cells sealed them on the silo, which then compacts once
        // (the embedded default does it before its first search; a silo apart has no such moment).
        double compactions = 0;
        for (int attempt = 0; attempt < 120 && compactions < 1; attempt++)
        {
            if (attempt > 0) await Task.Delay(500);
            compactions = Assert.Single((await Scrape(cluster.Silo, "alternance_load_compactions_total"))["alternance_load_compactions_total"]).Value;
        }
        Assert.True(compactions >= 1, "the silo never compacted after the import");
        // Its quiet timer (1 s here) compacts, unless the API node warming the cells asked first.
        Assert.Matches(@"(Loads quiet for 1 s|Cells warmed) after [\d,]+ items: -?[\d,]+ MiB returned to the system \([\d,]+ MiB resident", cluster.SiloProcess.Output);
        // The API node loads nothing: it exports no such counter.
        Assert.False((await Scrape(cluster.Api, "alternance_feed_items")).ContainsKey("alternance_load_compactions_total"));
    }

    [Fact]
    public async Task An_api_node_is_ready_once_the_silo_whose_cells_it_warmed_has_given_their_load_back()
    {
        using var folder = new TempFolder();
        ClusterPorts ports = ClusterPorts.Free();
        int siloHttp = FreePorts.Next(), apiHttp = FreePorts.Next();
        // The silo's own compaction would wait for ten quiet minutes: one before that is the warm-up's.
        string[] settings = ["--Cluster:LoadCompaction:QuietSeconds=600", "--Cluster:LoadCompaction:MinimumItems=1"];
        using HttpClient siloClient = Launch.Http(siloHttp);
        await using (ServiceProcess first = Launch.Silo(folder.Path, siloHttp, ports, settings))
        {
            await first.WaitForHttpOkAsync(siloClient, "/health/ready", Launch.StartTimeout);
            await cluster.Feeds.ImportAsync(folder.Path, ports, FeedsFixture.Names); // readiness waits for every feed
            first.Signal(ServiceProcess.SIGTERM);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Restarted on that store, the silo holds no cell: they read their items back as the API node warms them.
        await using ServiceProcess silo = Launch.Silo(folder.Path, siloHttp, ports, settings);
        await silo.WaitForHttpOkAsync(siloClient, "/health/ready", Launch.StartTimeout);
        // Nothing compacted yet (the counter appears with the first cell).
        Assert.True(!(await Scrape(siloClient, "alternance_load_compactions_total")).TryGetValue("alternance_load_compactions_total", out List<Series>? before)
            || Assert.Single(before).Value == 0);
        await using ServiceProcess api = Launch.ClientApi(folder.Path, apiHttp, ports);
        using HttpClient apiClient = Launch.Http(apiHttp);
        await api.WaitForHttpOkAsync(apiClient, "/health/ready", Launch.StartTimeout);

        double compactions = Assert.Single((await Scrape(siloClient, "alternance_load_compactions_total"))["alternance_load_compactions_total"]).Value;
        Assert.True(compactions == 1, $"{compactions} compactions when the API node reported ready\n{silo.Transcript}");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !silo.Output.Contains("Cells warmed after "); await Task.Delay(100))
        {
            Assert.True(DateTime.UtcNow < deadline, silo.Transcript);
        }
        Assert.Matches(@"Cells warmed after [\d,]+ items: -?[\d,]+ MiB returned to the system", silo.Output);
    }

    [Fact]
    public void The_dashboard_is_a_Grafana_dashboard_over_a_chosen_Prometheus_data_source()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        JsonElement root = dashboard.RootElement;
        Assert.Equal("alternance-cluster", root.GetProperty("uid").GetString());
        JsonElement variable = Assert.Single(root.GetProperty("templating").GetProperty("list").EnumerateArray());
        Assert.Equal("datasource", variable.GetProperty("type").GetString());
        Assert.Equal("prometheus", variable.GetProperty("query").GetString());
        var ids = new HashSet<int>();
        foreach (JsonElement panel in root.GetProperty("panels").EnumerateArray())
        {
            Assert.True(ids.Add(panel.GetProperty("id").GetInt32()), "panel ids are unique");
            if (panel.GetProperty("type").GetString() == "row") continue;
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()));
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }
    }

    private async Task Search()
    {
        foreach (string path in new[] { Launch.JobsAroundParis, "/api/v1/formations?romes=M1805&latitude=45.76&longitude=4.84&radius=60&caller=hosting-tests" })
        {
            using HttpResponseMessage response = await cluster.Api.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    internal static List<string> DashboardExpressions()
    {
        using JsonDocument dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var expressions = new List<string>();
        foreach (JsonElement panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (!panel.TryGetProperty("targets", out JsonElement targets)) continue;
            foreach (JsonElement target in targets.EnumerateArray()) expressions.Add(target.GetProperty("expr").GetString()!);
        }
        return expressions;
    }

    private static readonly HashSet<string> PromQlWords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan",
    ];

    /// <summary>The metric names of a PromQL expression: identifiers that are not functions, keywords, labels, strings or durations.</summary>
    internal static List<string> MetricNames(string expression)
    {
        string bare = Strings().Replace(expression, "\"\"");
        bare = Matchers().Replace(bare, "");
        bare = Grouping().Replace(bare, " ");
        bare = Ranges().Replace(bare, "");
        var names = new List<string>();
        foreach (Match m in Identifier().Matches(bare))
        {
            string word = m.Value;
            int after = m.Index + m.Length;
            while (after < bare.Length && bare[after] == ' ') after++;
            bool function = after < bare.Length && bare[after] == '(';
            if (!function && !PromQlWords.Contains(word) && !names.Contains(word)) names.Add(word);
        }
        return names;
    }

    /// <summary>Label names used in matchers and in by/without clauses.</summary>
    internal static IEnumerable<string> LabelNames(string expression)
    {
        string bare = Strings().Replace(expression, "\"\"");
        foreach (Match matcher in Matchers().Matches(bare))
        {
            foreach (Match label in MatcherLabel().Matches(matcher.Value)) yield return label.Groups[1].Value;
        }
        foreach (Match grouping in Grouping().Matches(bare))
        {
            foreach (Match label in Identifier().Matches(grouping.Groups["labels"].Value)) yield return label.Value;
        }
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex MatcherLabel();

    internal sealed record Series(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>Scrapes /metrics (Prometheus text format) until <paramref name="expected"/> appears: the exporter collects on scrape.</summary>
    private static async Task<Dictionary<string, List<Series>>> Scrape(HttpClient http, string expected)
    {
        for (int attempt = 0; ; attempt++)
        {
            using HttpResponseMessage response = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Dictionary<string, List<Series>> page = Parse(await response.Content.ReadAsStringAsync());
            if (page.ContainsKey(expected) || attempt == 20) return page;
            await Task.Delay(250);
        }
    }

    internal static Dictionary<string, List<Series>> Parse(string text)
    {
        var series = new Dictionary<string, List<Series>>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            Match m = SampleLine().Match(line);
            Assert.True(m.Success, "not a sample line: " + line);
            var labels = new Dictionary<string, string>();
            foreach (Match label in SampleLabel().Matches(m.Groups["labels"].Value))
            {
                labels[label.Groups["name"].Value] = Regex.Unescape(label.Groups["value"].Value);
            }
            string name = m.Groups["name"].Value;
            double value = double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!series.TryGetValue(name, out List<Series>? list)) series[name] = list = [];
            list.Add(new Series(name, labels, value));
        }
        return series;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex SampleLabel();
}
