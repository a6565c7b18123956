using System.Globalization;
using System.Text.Json;

namespace Alternance.Geo.Tests;

/// <summary>The h3-js 4.5.0 oracle vectors (vectors/vectors-public.json, seed 20240601), parsed once.</summary>
internal static class Vectors
{
    private static readonly Lazy<JsonDocument> Doc = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", "vectors-public.json");
        return JsonDocument.Parse(File.ReadAllBytes(path));
    });

    public static JsonElement Root => Doc.Value.RootElement;

    public static JsonElement Section(string name) => Root.GetProperty(name);

    public static int Count(string name) => Root.GetProperty("meta").GetProperty("counts").GetProperty(name).GetInt32();

    public static ulong Cell(JsonElement e) => ulong.Parse(e.GetString()!, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static ulong[] Cells(JsonElement arr)
    {
        var r = new ulong[arr.GetArrayLength()];
        int i = 0;
        foreach (var e in arr.EnumerateArray()) r[i++] = Cell(e);
        return r;
    }

    public static string Hex(ulong h) => h.ToString("x");
}

/// <summary>Collects failures so one test reports every mismatching vector, not just the first.</summary>
internal sealed class Failures(string section)
{
    private readonly List<string> _items = [];
    public int Checked { get; private set; }

    public void Check(bool ok, Func<string> describe)
    {
        Checked++;
        if (!ok) _items.Add(describe());
    }

    public void Fail(string message)
    {
        Checked++;
        _items.Add(message);
    }

    public void Ok() => Checked++;

    public void AssertNone()
    {
        if (_items.Count == 0) return;
        string shown = string.Join("\n", _items.Take(40));
        throw new Xunit.Sdk.XunitException(
            $"{section}: {_items.Count} of {Checked} checks failed:\n{shown}{(_items.Count > 40 ? "\n..." : "")}");
    }
}
