using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alternance.Api.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Alternance.Api.Tests.Support;

namespace Alternance.Api.Tests;

/// <summary>
/// A client-mode API node (the topology `deploy/` ships: it reaches the cells through the silo's gateway, over TCP) and
/// the embedded front answer every search identically: the same ids in the same order, the same distances, the same
/// fields, byte for byte (e-mails included: both fronts hold the key and derive each item's IV from it). The e-mails are
/// also checked to decrypt to the same addresses.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TopologyAnswersTests(ApiHost host)
{
    /// <summary>An API node of the test host's cluster, in client mode, on its own Kestrel port.</summary>
    private sealed class ClientNode(ApiHost cluster) : WebApplicationFactory<Program>
    {
        public readonly int HttpPort = ApiHost.FreePort();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Cluster:Mode", "Client");
            builder.UseSetting("Cluster:GatewayPort", cluster.GatewayPort.ToString());
            builder.UseSetting("Cluster:ServiceId", cluster.ClusterName);
            builder.UseSetting("Cluster:ClusterId", cluster.ClusterName);
            builder.UseSetting("Cluster:Dashboard", "false");
            builder.UseSetting("RateLimiting:Enabled", "false");
            builder.UseSetting("Privacy:EmailKey", ApiHost.EmailKeyHex);
            builder.UseSetting("Privacy:PhoneCallers:0", ApiHost.PhoneCaller);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(WriteClock.Key, ApiHost.NewClock()));
        }

        public HttpClient Start()
        {
            UseKestrel(HttpPort);
            StartServer();
            return CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") });
        }
    }

    [Fact]
    public async Task A_client_node_answers_free_text_searches_and_suggestions_as_the_embedded_front_does()
    {
        await using var node = new ClientNode(host);
        using HttpClient client = node.Start();
        var random = new Random(23);
        var places = host.Formations.Concat<SearchItem>(host.PeJobs).Concat(host.Companies).Where((_, i) => i % 53 == 0).ToList();
        string[] words = ["boulanger", "vente", "cuisine", "BTS", "commerce", "paris", "maintenance", "aide", "developpeur", "coifure"];
        int hits = 0;
        for (int i = 0; i < 80; i++)
        {
            SearchItem at = places[random.Next(places.Count)];
            string q = Esc(string.Join(' ', words.OrderBy(_ => random.Next()).Take(random.Next(0, 3))));
            string url = (i % 4) switch
            {
                0 => $"/api/v1/search?q={q}&latitude={Inv(at.Latitude)}&longitude={Inv(at.Longitude)}&radius={random.Next(1, 11) * 20}&hitsPerPage=50",
                1 => $"/api/v1/search?q={q}&admin_area=region:{(random.Next(2) == 0 ? "11" : "84")}&sort=date&page=1",
                2 => $"/api/v1/search?q={q}&mode=emplois&contract_type=Apprentissage&sort=start_date",
                _ => $"/api/v1/search/suggest?q={Esc(words[random.Next(words.Length)].PadRight(4, 'e')[..4])}&limit=20",
            };
            string embedded = await Body(host.Http, url);
            string fromNode = await Body(client, url);
            Assert.True(embedded == fromNode, $"{url}: the answers differ");
            if (url.StartsWith("/api/v1/search?", StringComparison.Ordinal)) hits += JsonDocument.Parse(embedded).RootElement.GetProperty("hits").GetArrayLength();
        }
        Assert.True(hits > 500, $"only {hits} hits compared");
    }

    [Fact]
    public async Task A_client_node_answers_every_search_as_the_embedded_front_does()
    {
        await using var node = new ClientNode(host);
        using HttpClient client = node.Start();
        using var protector = new AesCtrContactProtector(Convert.FromHexString(ApiHost.EmailKeyHex));
        var random = new Random(17);
        var places = host.Formations.Concat<SearchItem>(host.Companies).Where((_, i) => i % 97 == 0).ToList();
        string[] romes = [.. host.Companies.SelectMany(c => c.RomeCodes).GroupBy(r => r).OrderByDescending(g => g.Count()).Take(12).Select(g => g.Key)];
        int compared = 0, results = 0;
        for (int i = 0; i < 300; i++)
        {
            SearchItem at = places[random.Next(places.Count)];
            string codes = string.Join(',', romes.OrderBy(_ => random.Next()).Take(random.Next(1, 4)));
            string where = $"latitude={Inv(at.Latitude)}&longitude={Inv(at.Longitude)}&radius={random.Next(1, 7) * 10}";
            string caller = random.Next(3) == 0 ? ApiHost.PhoneCaller : "topology-test";
            string url = (i % 6) switch
            {
                0 => $"/api/v1/formations?caller={caller}&romes={codes}&{where}" + (random.Next(2) == 0 ? "&options=with_description" : ""),
                1 => $"/api/v1/jobsEtFormations?caller={caller}&romes={codes}&{where}",
                2 => $"/api/v1/formationsParRegion?caller={caller}&romes={codes}&departement={(at as FormationItem)?.NumDepartement ?? "75"}",
                5 => $"/api/v3/jobs/search?romes={codes}&{where}",
                _ => $"/api/v1/jobs?caller={caller}&romes={codes}&{where}",
            };
            // The first request on the node fetches the items from the cells and writes them; later ones reuse them.
            for (int round = 0; round < (i < 10 ? 2 : 1); round++)
            {
                string embedded = await Body(host.Http, url);
                string fromNode = await Body(client, url);
                Assert.True(embedded == fromNode, $"{url}: the answers differ");
                Assert.True(Normalized(embedded, protector) == Normalized(fromNode, protector), $"{url}: the addresses differ");
                results += Count(embedded);
                compared++;
            }
        }
        Assert.True(results > 3_000, $"only {results} results compared over {compared} answers");
    }

    private static async Task<string> Body(HttpClient http, string url)
    {
        using HttpResponseMessage response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The answer with every encrypted e-mail replaced by its plain text (and its IV dropped).</summary>
    private static string Normalized(string json, AesCtrContactProtector protector)
    {
        JsonNode root = JsonNode.Parse(json)!;
        Decrypt(root, protector);
        return root.ToJsonString();
    }

    private static void Decrypt(JsonNode? node, AesCtrContactProtector protector)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["iv"] is JsonValue iv && o["email"] is JsonValue email)
                {
                    o["email"] = protector.Unprotect(email.GetValue<string>(), iv.GetValue<string>());
                    o.Remove("iv");
                }
                foreach (var (_, child) in o.ToList()) Decrypt(child, protector);
                break;
            case JsonArray a:
                foreach (JsonNode? child in a) Decrypt(child, protector);
                break;
        }
    }

    /// <summary>Results in an answer: the items of every <c>results</c> array.</summary>
    private static int Count(string json)
    {
        int n = 0;
        Count(JsonNode.Parse(json), ref n);
        return n;
    }

    private static void Count(JsonNode? node, ref int n)
    {
        if (node is not JsonObject o) return;
        foreach (var (name, child) in o)
        {
            if (name == "results" && child is JsonArray results) n += results.Count;
            else Count(child, ref n);
        }
    }
}
