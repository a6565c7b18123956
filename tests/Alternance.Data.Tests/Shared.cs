using System.Text;
using System.Text.Json;

namespace Alternance.Data.Tests;

internal static class Shared
{
    public static readonly ReferenceData Reference = ReferenceData.Load();

    public static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    public static async Task<(List<SearchItem> Items, FeedReport Report)> Read(string text, Source source) =>
        await FeedReader.ReadAllAsync(Utf8(text), source);

    private static readonly JsonSerializerOptions Json = new() { IncludeFields = false };

    /// <summary>Structural form of an item (records compare arrays by reference; this compares by content).</summary>
    public static string Canonical(SearchItem item) => item.GetType().Name + JsonSerializer.Serialize(item, item.GetType(), Json);
}
