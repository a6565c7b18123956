using Alternance.Data;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// <c>-- suggest --url http://localhost:8080</c>: <c>/api/v1/search/suggest</c> over HTTP with prefixes (3–8 letters) of
/// the words of ROME appellations, as a user types them; requests/s and latency, server CPU per request.
/// </summary>
internal static class SuggestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string url = HttpLoad.Option(args, "--url", "http://localhost:8080");
        int concurrency = int.Parse(HttpLoad.Option(args, "--concurrency", "32"));
        double seconds = double.Parse(HttpLoad.Option(args, "--duration", "10"), System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(13);
        ReferenceData reference = ReferenceData.Load();
        var queries = new string[4000];
        for (int i = 0; i < queries.Length; i++)
        {
            string[] words = [.. reference.Appellations[random.Next(reference.Appellations.Count)].Label
                .Split([' ', '(', ')', ',', '-', '/', '\''], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length >= 3)];
            string word = words.Length == 0 ? "boulanger" : words[random.Next(words.Length)];
            string prefix = word[..Math.Min(word.Length, 3 + random.Next(6))];
            queries[i] = $"/api/v1/search/suggest?q={Uri.EscapeDataString(prefix)}&limit=10";
        }
        using HttpClient client = HttpLoad.Client(url, concurrency);
        await HttpLoad.Measure(client, queries, concurrency, 2);
        LoadResult run = await HttpLoad.Measure(client, queries, concurrency, seconds, () => HttpLoad.PrometheusCpuSeconds(client));
        Console.WriteLine($"suggest: {concurrency} concurrent, {seconds} s: {run.Throughput:N0} req/s, p50 {run.P50:0.00} ms, p99 {run.P99:0.00} ms, " +
            $"{run.MeanBytes:N0} B/answer, server CPU {LoadResult.Cpu(run.ServerCpuPerRequest)} ms/req, client CPU {LoadResult.Cpu(run.ClientCpuPerRequest)} ms/req, errors {run.Errors}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
