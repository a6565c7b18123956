using System.Globalization;

namespace Alternance;

/// <summary>
/// SIREN → OPCO, as the companies feed says (La bonne alternance takes an employer's OPCO from its SIREN, reference
/// §4.4 <c>opcos</c>): built when the companies feed is imported and kept with that generation, then applied to the
/// national offers imported after it, whose feed names no OPCO, so that the <c>opco</c> filter finds them. Compact: a
/// sorted array of SIRENs and one byte per SIREN naming its OPCO.
/// </summary>
[GenerateSerializer, Immutable, Alias("alt.sirenopcos")]
public sealed record class SirenOpcoTable
{
    /// <summary>SIRENs as numbers, ascending.</summary>
    [Id(0)] public int[] Sirens { get; init; } = [];
    /// <summary>Each SIREN's OPCO: an index into <see cref="Names"/>.</summary>
    [Id(1)] public byte[] Opcos { get; init; } = [];
    /// <summary>OPCO short names (<see cref="OpcoKeys.ToKey"/>).</summary>
    [Id(2)] public string[] Names { get; init; } = [];
    /// <summary>Each OPCO's web site, when the feed gave one.</summary>
    [Id(3)] public string?[] Urls { get; init; } = [];

    public int Count => Sirens.Length;

    /// <summary>The OPCO of the SIRET's SIREN (its first nine digits), or null.</summary>
    public (string Opco, string? Url)? Find(string? siret)
    {
        if (ParseSiren(siret) is not int siren) return null;
        int at = Array.BinarySearch(Sirens, siren);
        return at < 0 ? null : (Names[Opcos[at]], Urls[Opcos[at]]);
    }

    /// <summary>This table with <paramref name="newer"/>'s entries added, or replacing the same SIRENs'.</summary>
    public SirenOpcoTable With(SirenOpcoTable newer)
    {
        var builder = new Builder();
        for (int i = 0; i < Sirens.Length; i++) builder.Add(Sirens[i], Names[Opcos[i]], Urls[Opcos[i]]);
        for (int i = 0; i < newer.Sirens.Length; i++) builder.Add(newer.Sirens[i], newer.Names[newer.Opcos[i]], newer.Urls[newer.Opcos[i]]);
        return builder.Build();
    }

    private static int? ParseSiren(string? siret)
    {
        if (siret is null) return null;
        ReadOnlySpan<char> text = siret.AsSpan().Trim();
        if (text.Length < 9) return null;
        return int.TryParse(text[..9], NumberStyles.None, CultureInfo.InvariantCulture, out int siren) ? siren : null;
    }

    /// <summary>Collects companies' OPCOs (the last company of a SIREN wins) and builds the table.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<int, byte> _opcoBySiren = [];
        private readonly Dictionary<string, byte> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        private readonly List<string?> _urls = [];

        public int Count => _opcoBySiren.Count;

        public void Add(CompanyItem company)
        {
            if (ParseSiren(company.Siret) is int siren && OpcoKeys.ToKey(company.OpcoShortName ?? company.Opco) is { } opco)
            {
                Add(siren, opco, company.OpcoUrl);
            }
        }

        public void Add(int siren, string opco, string? url)
        {
            if (!_ids.TryGetValue(opco, out byte id))
            {
                // Eleven OPCOs exist; a feed naming more than 256 different values keeps the first 256.
                if (_names.Count > byte.MaxValue) return;
                _ids[opco] = id = (byte)_names.Count;
                _names.Add(opco);
                _urls.Add(url);
            }
            else if (_urls[id] is null && url is not null)
            {
                _urls[id] = url;
            }
            _opcoBySiren[siren] = id;
        }

        public SirenOpcoTable Build()
        {
            var sirens = new int[_opcoBySiren.Count];
            var opcos = new byte[sirens.Length];
            int k = 0;
            foreach (var (siren, id) in _opcoBySiren)
            {
                sirens[k] = siren;
                opcos[k++] = id;
            }
            Array.Sort(sirens, opcos);
            return new SirenOpcoTable { Sirens = sirens, Opcos = opcos, Names = [.. _names], Urls = [.. _urls] };
        }
    }
}

/// <summary>The SIREN → OPCO table of one generation of the companies feed (key: that generation).</summary>
[Alias("alt.ISirenOpcoGrain")]
public interface ISirenOpcoGrain : IGrainWithIntegerKey
{
    /// <summary>Replaces the table (a replace of the companies feed), durably.</summary>
    [Alias("Set")]
    Task Set(SirenOpcoTable table);

    /// <summary>Adds or replaces entries (an upsert of the companies feed), durably.</summary>
    [Alias("Merge")]
    Task Merge(SirenOpcoTable table);

    /// <summary>The table; null when that generation has none.</summary>
    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<SirenOpcoTable?> Get();
}
