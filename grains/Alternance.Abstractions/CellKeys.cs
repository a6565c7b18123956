namespace Alternance;

/// <summary>How items map to cell grains and id shards.</summary>
public static class CellKeys
{
    /// <summary>
    /// The H3 resolution of cell grains. Resolution 3 (average edge 69 km, ~12,400 km²): a 30 km query visits
    /// 2.3 cells on average, 100 km 7.3, 200 km 19 (docs/search-engine.md gives the figures). A grain call
    /// costs ~5 µs co-hosted, so the number of cells a query visits dominates its cost; inside a cell, items are
    /// sorted by latitude per ROME code, so a big cell costs little more than a small one to search.
    /// Changing it re-keys all stored cells: it is a constant, not a setting.
    /// </summary>
    public const int Resolution = 3;

    /// <summary>How many locator shards each source's ids are spread over.</summary>
    public const int LocatorShards = 32;

    public static int ShardOf(string id)
    {
        // FNV-1a over UTF-16 code units: stable across processes and versions (string.GetHashCode is not).
        uint h = 2166136261;
        foreach (char c in id)
        {
            h = (h ^ c) * 16777619;
        }
        return (int)(h % LocatorShards);
    }

    public static string LocatorKey(Source source, int shard) => $"{(int)source}/{shard}";
}
