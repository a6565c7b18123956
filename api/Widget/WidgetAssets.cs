using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alternance.Api.Search;
using Alternance.Data;

namespace Alternance.Api.Widget;

/// <summary>One file the widget's pages load: its bytes and, made on first request, their gzip and Brotli forms.</summary>
public sealed class WidgetAsset
{
    private readonly Lazy<byte[]> _gzip;
    private readonly Lazy<byte[]> _brotli;

    public WidgetAsset(string name, string contentType, byte[] content, bool immutable)
    {
        Name = name;
        ContentType = contentType;
        Content = content;
        Immutable = immutable;
        Hash = HashOf(content);
        // Compressed once, at the strongest levels: the cost is paid once per process, not per request.
        _gzip = new Lazy<byte[]>(() => Compress(content, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true)));
        _brotli = new Lazy<byte[]>(() => Compress(content, s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true)));
    }

    public static string HashOf(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content))[..16];

    public string Name { get; }
    public string ContentType { get; }
    public byte[] Content { get; }
    public string Hash { get; }

    /// <summary>Named by its hash: cacheable for ever (a new version has a new name).</summary>
    public bool Immutable { get; }

    public byte[] Gzip => _gzip.Value;
    public byte[] Brotli => _brotli.Value;

    private static byte[] Compress(byte[] content, Func<Stream, Stream> open)
    {
        using var output = new MemoryStream(content.Length / 3 + 64);
        using (Stream compressor = open(output)) compressor.Write(content);
        return output.ToArray();
    }
}

/// <summary>What one page loads: its script and style bundles.</summary>
public sealed record WidgetBundle(string Name, WidgetAsset Script, WidgetAsset Style);

/// <summary>
/// The widget's static files, embedded in the assembly (one deployable, nothing to copy beside it): per page one script
/// and one style bundle (the page's files concatenated), the base map (outlines shipped in the repository plus city
/// labels from the bundled communes) and the vendored licences. Bundles and the base map are named by a hash of their
/// content and cached for ever by browsers; licences keep their names.
/// </summary>
public sealed class WidgetAssets
{
    public const string Prefix = "/widget/assets/";

    /// <summary>Each page's files, in load order (vendored first).</summary>
    private static readonly (string Name, string[] Scripts, string[] Styles)[] Pages =
    [
        ("search",
            ["vendor/leaflet/leaflet.js", "vendor/leaflet.markercluster/leaflet.markercluster.js", "common.js", "forms.js", "map.js", "search.js"],
            ["vendor/leaflet/leaflet.css", "vendor/leaflet.markercluster/MarkerCluster.css", "widget.css", "search.css"]),
        ("forms", ["common.js", "forms.js"], ["widget.css"]),
        ("recruiter", ["common.js", "recruiter.js"], ["widget.css"]),
        ("test-widget", ["common.js", "test-widget.js"], ["widget.css"]),
    ];

    private static readonly string[] Licences =
    [
        "vendor/leaflet/LICENSE", "vendor/leaflet.markercluster/MIT-LICENCE.txt", "vendor/world-atlas/LICENSE",
    ];

    private readonly Dictionary<string, WidgetAsset> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WidgetBundle> _bundles = new(StringComparer.Ordinal);

    public WidgetAssets(ReferenceData reference)
    {
        foreach (var (name, scripts, styles) in Pages)
        {
            WidgetAsset script = Add(name, ".js", "text/javascript; charset=utf-8", Concatenate(scripts, javascript: true));
            WidgetAsset style = Add(name, ".css", "text/css; charset=utf-8", Concatenate(styles, javascript: false));
            _bundles[name] = new WidgetBundle(name, script, style);
        }
        BaseMap = Add("basemap", ".json", "application/json; charset=utf-8", BaseMapJson(Read("basemap.json"), reference));
        foreach (string licence in Licences)
        {
            var asset = new WidgetAsset(licence, "text/plain; charset=utf-8", Read(licence), immutable: false);
            _byName[licence] = asset;
        }
    }

    public WidgetAsset BaseMap { get; }

    public WidgetBundle Bundle(string page) => _bundles[page];

    public static string Url(WidgetAsset asset) => Prefix + asset.Name;

    public WidgetAsset? Find(string name) => _byName.GetValueOrDefault(name);

    private WidgetAsset Add(string name, string extension, string contentType, byte[] content)
    {
        string hash = WidgetAsset.HashOf(content);
        // Pages whose bundles are the same files share one asset (one download, one cache entry).
        foreach (WidgetAsset existing in _byName.Values)
        {
            if (existing.Hash == hash && existing.Name.EndsWith(extension, StringComparison.Ordinal)) return existing;
        }
        var asset = new WidgetAsset($"{name}.{hash}{extension}", contentType, content, immutable: true);
        _byName[asset.Name] = asset;
        return asset;
    }

    private static byte[] Concatenate(string[] files, bool javascript)
    {
        var output = new MemoryStream();
        foreach (string file in files)
        {
            string text = Encoding.UTF8.GetString(Read(file));
            // The vendored files point at source maps that are not shipped.
            int map = text.LastIndexOf(javascript ? "//# sourceMappingURL=" : "/*# sourceMappingURL=", StringComparison.Ordinal);
            if (map >= 0) text = text[..map];
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            output.Write(bytes);
            // A script that ends without a semicolon or newline must not run into the next one.
            output.Write(javascript ? ";\n"u8 : "\n"u8);
        }
        return output.ToArray();
    }

    private static byte[] Read(string path)
    {
        using Stream? stream = typeof(WidgetAssets).Assembly.GetManifestResourceStream("widget/" + path)
            ?? throw new InvalidOperationException($"The widget asset {path} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// The shipped outlines (<c>{"scale","france","land"}</c>, see <c>tools/widget/build.mjs</c>) with a <c>cities</c>
    /// list added from the bundled communes, most populated first: every commune of 5,000 people or more and the
    /// chef-lieu of every département, as <c>[name, latitude, longitude, rank]</c>; the rank (1: 200,000 people or more,
    /// 2: 50,000 or a chef-lieu, 3: 20,000, 4: the rest) says from which zoom the map names it.
    /// </summary>
    private static byte[] BaseMapJson(byte[] outlines, ReferenceData reference)
    {
        var chefLieux = new HashSet<string>(StringComparer.Ordinal);
        foreach (Departement d in reference.Departements) chefLieux.Add(d.ChefLieuInsee);
        var communes = new List<Commune>();
        foreach (Commune c in reference.Communes)
        {
            if (!c.IsArrondissement && (c.Population >= 5_000 || chefLieux.Contains(c.Insee))) communes.Add(c);
        }
        communes.Sort(static (a, b) => b.Population.CompareTo(a.Population));
        var cities = new System.Buffers.ArrayBufferWriter<byte>(65_536);
        using (var writer = new Utf8JsonWriter(cities))
        {
            writer.WriteStartArray();
            foreach (Commune c in communes)
            {
                int rank = c.Population >= 200_000 ? 1 : c.Population >= 50_000 || chefLieux.Contains(c.Insee) ? 2 : c.Population >= 20_000 ? 3 : 4;
                writer.WriteStartArray();
                writer.WriteStringValue(c.Name);
                writer.WriteRawValue(c.Latitude.ToString("0.###", CultureInfo.InvariantCulture));
                writer.WriteRawValue(c.Longitude.ToString("0.###", CultureInfo.InvariantCulture));
                writer.WriteNumberValue(rank);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        // The outlines' closing brace gives way to the cities.
        int end = Array.LastIndexOf(outlines, (byte)'}');
        if (end < 0) throw new InvalidOperationException("basemap.json is not a JSON object.");
        using var output = new MemoryStream(end + cities.WrittenCount + 16);
        output.Write(outlines, 0, end);
        output.Write(",\"cities\":"u8);
        output.Write(cities.WrittenSpan);
        output.Write("}"u8);
        return output.ToArray();
    }
}
