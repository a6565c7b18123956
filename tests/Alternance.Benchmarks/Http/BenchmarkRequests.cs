using Alternance.Data;

namespace Alternance.Benchmarks.Http;

/// <summary>
/// The search requests every benchmark of the API's search path draws from (HTTP, engine request mix, in-cell search):
/// a commune among the 500 most populous, 1–3 ROME codes of the dataset's popular head. One definition, so that the
/// figures of the three modes describe the same requests.
/// </summary>
internal static class BenchmarkRequests
{
    public const int Seed = 20261129;

    /// <summary>ROME codes common in apprenticeship (the dataset's popular head); unknown codes are dropped.</summary>
    private static readonly string[] PopularRomes =
    [
        "D1102", "D1104", "D1106", "D1212", "D1214", "D1502", "D1507", "G1602", "G1603", "G1803", "H2909", "I1304", "I1604",
        "F1603", "F1703", "F1602", "F1701", "M1607", "M1602", "M1805", "M1810", "J1501", "K2204", "N1103", "D1402", "M1705",
        "H1203", "I1203", "A1203", "D1405",
    ];

    /// <summary><paramref name="count"/> requests: where, and which codes.</summary>
    public static (Commune Place, string[] Romes)[] Draw(ReferenceData reference, Random random, int count)
    {
        string[] romes = [.. PopularRomes.Where(reference.IsRomeCode)];
        Commune[] communes = [.. reference.Communes.OrderByDescending(c => c.Population).Take(500)];
        var requests = new (Commune, string[])[count];
        for (int i = 0; i < count; i++)
        {
            Commune place = communes[random.Next(communes.Length)];
            int codes = 1 + random.Next(3);
            var picked = new HashSet<string>();
            while (picked.Count < codes) picked.Add(romes[random.Next(romes.Length)]);
            requests[i] = (place, [.. picked]);
        }
        return requests;
    }

    /// <summary>
    /// One source's query as the API plans it for such a request (its limits; posted offers published for third
    /// parties only, since every API request has a caller).
    /// </summary>
    public static SourceQuery Query(Source source, Commune place, string[] romes, double radiusKm) => new()
    {
        Source = source,
        Latitude = place.Latitude,
        Longitude = place.Longitude,
        RadiusKm = radiusKm,
        Romes = romes,
        Limit = source switch { Source.Formation => 500, Source.Matcha => 250, _ => 150 },
        MultiPublishedOnly = source == Source.Matcha,
    };
}
