using System.Net;
using System.Text;
using System.Text.Json;

namespace Alternance.Api.Tests;

/// <summary>
/// Thousands of random and hostile requests at every read route: never a 5xx, and every 4xx carries a contract-shaped
/// JSON body (an object with an <c>error</c> string; <c>error_messages</c> strings for 400).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzTests(ApiHost host)
{
    private static readonly string[] Routes =
    [
        "/api/v1/formations", "/api/v1/formationsParRegion", "/api/v1/jobs", "/api/v1/jobsEtFormations",
        "/api/V1/jobs", "/api/v1/metiers", "/api/v1/metiers/all", "/api/v1/metiers/intitule",
        "/api/v3/jobs/search", "/job/v1/search",
    ];

    private static readonly string[] ItemRoutes =
    [
        "/api/v1/formations/formation/", "/api/v1/jobs/job/", "/api/v1/jobs/matcha/", "/api/v1/jobs/company/",
        "/api/v1/metiers/metiersParFormation/", "/api/v3/jobs/", "/job/v1/offer/",
    ];

    private static readonly string[] Names =
    [
        "caller", "romes", "romeDomain", "rncp", "rncps", "latitude", "longitude", "radius", "insee", "diploma", "sources",
        "opco", "opcoUrl", "options", "region", "departement", "title", "label", "withRomeLabels", "useMock", "", "a[b]", "caller[]",
        "target_diploma_level", "departements", "partners_to_exclude", "elligibleHandicapFilter",
    ];

    private static readonly string[] Hostile =
    [
        "", " ", "%00", "%", "%%", "%ZZ", "%ED%A0%80", "%C3%28", "%F0%9F%98%80", "+", "++", ",", ",,,,", "null", "undefined", "NaN",
        "Infinity", "-Infinity", "1e309", "-1e309", "1e-400", "0x10", "-0", "0", "20000", "200", "200.0000001", "-90", "90", "180",
        "-180.0", "48,85", "1_000", "٣", "１２", "A1234", "a1234,b5678", "A12345", "A123", "RNCP1", "RNCP12", "rncp12345", "RNCP123456",
        "75056", "75101", "2A004", "2b033", "99999", "00000", "3 (CAP...)", "7xxx", "8", "Indifférent", "formation,matcha,lba,lbb,offres,peJob",
        "formations", "pejob,PEJOB", "lba,,", "AKTO", "akto", "https://www.akto.fr", "with_description", "11", "94", "974", "2A", "013",
        "<script>alert(1)</script>", "' OR 1=1 --", "\"}]}", "{\"$ne\":null}", "../../etc/passwd", "%2e%2e%2f", "caller%3Dx", "%0d%0aSet-Cookie:x=y",
        "\u0000", "\uFFFF", "é", "ÉÈÊ", "🙂", "\t\n", "true", "[]", "{}",
    ];

    private static string RandomValue(Random rng)
    {
        switch (rng.Next(10))
        {
            case 0: return (rng.NextDouble() * 1000 - 500).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case 1: return rng.Next(-1000, 30000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case 2:
            {
                int n = rng.Next(1, 40);
                var sb = new StringBuilder();
                for (int i = 0; i < n; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append((char)('A' + rng.Next(26))).Append(rng.Next(0, 10000).ToString("D4"));
                }
                return sb.ToString();
            }
            case 3: return new string('x', rng.Next(500, 2500));
            case 4: return new string(',', rng.Next(10, 700));
            case 5:
            {
                var bytes = new byte[rng.Next(1, 30)];
                rng.NextBytes(bytes);
                return Uri.EscapeDataString(Encoding.Latin1.GetString(bytes));
            }
            default: return Hostile[rng.Next(Hostile.Length)];
        }
    }

    private static string RandomQuery(Random rng)
    {
        int count = rng.Next(0, 9);
        var sb = new StringBuilder();
        bool caller = rng.Next(3) > 0;
        if (caller) sb.Append("caller=fuzz");
        for (int i = 0; i < count; i++)
        {
            if (sb.Length > 0) sb.Append('&');
            string name = rng.Next(8) == 0 ? RandomValue(rng) : Names[rng.Next(Names.Length)];
            string value = RandomValue(rng);
            // Mostly well-escaped values; sometimes raw ones.
            sb.Append(name).Append('=').Append(rng.Next(4) == 0 ? value : Uri.EscapeDataString(value));
        }
        if (rng.Next(10) == 0) sb.Append("&&=&=&x");
        return sb.ToString();
    }

    [Fact]
    public async Task Random_and_hostile_requests_never_answer_5xx()
    {
        var rng = new Random(20261129);
        var failures = new List<string>();
        int requests = 0;
        for (int i = 0; i < 3000 && failures.Count < 10; i++)
        {
            string url;
            if (rng.Next(4) == 0)
            {
                string id = rng.Next(3) switch
                {
                    0 => Uri.EscapeDataString(RandomValue(rng)),
                    1 => RandomValue(rng).Replace("/", "%2F").Replace("?", "%3F").Replace("#", "%23"),
                    _ => rng.Next(2) == 0 ? host.Companies[rng.Next(host.Companies.Count)].Id : "12345678901234",
                };
                if (id.Length == 0) id = "x";
                url = ItemRoutes[rng.Next(ItemRoutes.Length)] + id + "?" + RandomQuery(rng);
            }
            else
            {
                url = Routes[rng.Next(Routes.Length)] + "?" + RandomQuery(rng);
            }
            HttpMethod method = rng.Next(12) switch { 0 => HttpMethod.Post, 1 => HttpMethod.Put, 2 => HttpMethod.Head, _ => HttpMethod.Get };
            requests++;
            // Kestrel answers 414 with no body to a request line over 8 KB, before any application code: stay under it.
            if (url.Length > 7000) url = url[..7000];
            string? problem = await Check(method, url, rng);
            if (problem is not null) failures.Add(problem);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers out of {requests}:\n" + string.Join("\n", failures));
    }

    private async Task<string?> Check(HttpMethod method, string url, Random rng)
    {
        Uri uri;
        try
        {
            uri = new Uri(url, UriKind.Relative);
        }
        catch (UriFormatException)
        {
            return null;
        }
        using var request = new HttpRequestMessage(method, uri);
        if (method == HttpMethod.Post || method == HttpMethod.Put)
        {
            var body = new byte[rng.Next(0, 4096)];
            rng.NextBytes(body);
            request.Content = rng.Next(2) == 0
                ? new ByteArrayContent(body)
                : new StringContent("{\"romes\":\"" + RandomValue(rng).Replace("\"", "") + "\",\"caller\":[1,2,{}]}", Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await host.Http.SendAsync(request);
        }
        catch (Exception e)
        {
            return $"{method} {url[..Math.Min(200, url.Length)]}: exception {e.GetType().Name}: {e.Message}";
        }
        using (response)
        {
            int status = (int)response.StatusCode;
            string text = await response.Content.ReadAsStringAsync();
            string shortUrl = url[..Math.Min(200, url.Length)];
            if (status >= 500) return $"{method} {shortUrl}: {status} {text[..Math.Min(300, text.Length)]}";
            if (text.Contains("   at ", StringComparison.Ordinal) && text.Contains("Exception", StringComparison.Ordinal))
                return $"{method} {shortUrl}: a stack trace in the body";
            // Kestrel itself refuses a NUL in the path with a bare 400, before any application code runs.
            bool kestrelReject = status == 400 && text.Length == 0 && (url.Split('?')[0].Contains("%00", StringComparison.Ordinal) || url.Split('?')[0].Contains('\0'));
            if (status >= 400 && method != HttpMethod.Head && !kestrelReject)
            {
                try
                {
                    using JsonDocument doc = JsonDocument.Parse(text);
                    JsonElement root = doc.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out JsonElement error) || error.ValueKind != JsonValueKind.String)
                        return $"{method} {shortUrl}: {status} without an error string: {text[..Math.Min(300, text.Length)]}";
                    if (status == 400 && root.TryGetProperty("error_messages", out JsonElement messages)
                        && (messages.ValueKind != JsonValueKind.Array || messages.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String)))
                        return $"{method} {shortUrl}: error_messages is not an array of strings";
                }
                catch (JsonException)
                {
                    return $"{method} {shortUrl}: {status} with a body that is not JSON: {text[..Math.Min(300, text.Length)]}";
                }
            }
            if (status == 200 && method == HttpMethod.Get)
            {
                try
                {
                    JsonDocument.Parse(text).Dispose();
                }
                catch (JsonException)
                {
                    return $"{method} {shortUrl}: 200 with invalid JSON";
                }
            }
            return null;
        }
    }
}
