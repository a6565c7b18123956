using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Alternance.Data;

/// <summary>
/// Finds a property name (UTF-8 bytes) among a fixed set without allocating: names are bucketed by length and
/// compared byte-wise. The names are the member names of <typeparamref name="TField"/>, which are spelled exactly
/// as the feed's JSON fields.
/// </summary>
internal sealed class NameTable<TField> where TField : struct, Enum
{
    private readonly byte[][][] _names;
    private readonly TField[][] _fields;

    public NameTable()
    {
        var names = Enum.GetNames<TField>();
        var values = Enum.GetValues<TField>();
        int max = 0;
        foreach (var n in names) max = Math.Max(max, n.Length);
        var names1 = new List<byte[]>[max + 1];
        var fields1 = new List<TField>[max + 1];
        for (int i = 0; i < names.Length; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(names[i]);
            (names1[bytes.Length] ??= []).Add(bytes);
            (fields1[bytes.Length] ??= []).Add(values[i]);
        }
        _names = new byte[max + 1][][];
        _fields = new TField[max + 1][];
        for (int l = 0; l <= max; l++)
        {
            _names[l] = names1[l]?.ToArray() ?? [];
            _fields[l] = fields1[l]?.ToArray() ?? [];
        }
    }

    public bool TryFind(ReadOnlySpan<byte> name, out TField field)
    {
        if ((uint)name.Length < (uint)_names.Length)
        {
            var bucket = _names[name.Length];
            for (int i = 0; i < bucket.Length; i++)
            {
                if (name.SequenceEqual(bucket[i]))
                {
                    field = _fields[name.Length][i];
                    return true;
                }
            }
        }
        field = default;
        return false;
    }

    /// <summary>Reads the current property name and finds it; the reader stays on the PropertyName token.</summary>
    public bool TryFind(ref Utf8JsonReader r, out TField field)
    {
        if (!r.ValueIsEscaped && !r.HasValueSequence) return TryFind(r.ValueSpan, out field);
        Span<byte> buffer = stackalloc byte[128];
        if (r.HasValueSequence ? r.ValueSequence.Length > 128 : r.ValueSpan.Length > 128)
        {
            field = default;
            return false;
        }
        int n = r.CopyString(buffer);
        return TryFind(buffer[..n], out field);
    }
}

/// <summary>
/// Shares repeated short strings (levels, regions, postal codes, CFA names...) across the items of one feed so a
/// million items do not hold a million copies of "4 (BAC...)". Keyed by the UTF-8 bytes, so a hit costs a hash and a
/// compare, no transcoding. Bounded: once full it simply allocates.
/// </summary>
internal sealed class StringPool(int capacity = 250_000, int maxLength = 96)
{
    private struct Entry
    {
        public int Hash;
        public byte[]? Key;
        public string Value;
    }

    private Entry[] _entries = new Entry[1024];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > maxLength) return Encoding.UTF8.GetString(utf8);
        int hash = Hash(utf8);
        int mask = _entries.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref _entries[i];
            if (e.Key is null)
            {
                var s = Encoding.UTF8.GetString(utf8);
                if (_count < capacity)
                {
                    e.Hash = hash;
                    e.Key = utf8.ToArray();
                    e.Value = s;
                    if (++_count * 2 > _entries.Length) Grow(); // keep the load under one half
                }
                return s;
            }
            if (e.Hash == hash && utf8.SequenceEqual(e.Key)) return e.Value;
        }
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        int mask = _entries.Length - 1;
        foreach (var e in old)
        {
            if (e.Key is null) continue;
            int i = e.Hash & mask;
            while (_entries[i].Key is not null) i = (i + 1) & mask;
            _entries[i] = e;
        }
    }

    // 8 bytes at a time, multiply-xorshift mixing: fast for the short strings pooled here.
    private static int Hash(ReadOnlySpan<byte> s)
    {
        ulong h = (ulong)s.Length * 0x9E3779B97F4A7C15UL;
        while (s.Length >= 8)
        {
            h = (h ^ MemoryMarshal.Read<ulong>(s)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 32;
            s = s[8..];
        }
        ulong tail = 0;
        for (int i = 0; i < s.Length; i++) tail |= (ulong)s[i] << (8 * i);
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        h ^= h >> 29;
        return (int)h & int.MaxValue;
    }
}

/// <summary>
/// Lenient readers for one JSON value (the reader is on the value's first token). Real exports are not always typed
/// the same way (numbers as strings, MongoDB extended JSON such as <c>{"$oid": ...}</c> or <c>{"$date": ...}</c>),
/// so each reader accepts the usual variants and skips what it cannot use, leaving the reader on the value's last token.
/// </summary>
internal static class JsonValues
{
    private static ReadOnlySpan<byte> Oid => "$oid"u8;
    private static ReadOnlySpan<byte> Date => "$date"u8;
    private static ReadOnlySpan<byte> NumberLong => "$numberLong"u8;

    /// <summary>A string; numbers and booleans as their text; empty or blank strings as null.</summary>
    public static string? String(ref Utf8JsonReader r, StringPool? pool = null)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                if (r.HasValueSequence || r.ValueIsEscaped)
                {
                    var s = r.GetString();
                    return string.IsNullOrWhiteSpace(s) ? null : s;
                }
                var span = r.ValueSpan;
                if (IsBlank(span)) return null;
                return pool is not null ? pool.Get(span) : Encoding.UTF8.GetString(span);
            case JsonTokenType.Number:
                return pool is not null ? pool.Get(r.ValueSpan) : Encoding.UTF8.GetString(r.ValueSpan);
            case JsonTokenType.True: return "true";
            case JsonTokenType.False: return "false";
            case JsonTokenType.Null: return null;
            case JsonTokenType.StartObject: return ExtendedScalar(ref r);
            default:
                r.Skip();
                return null;
        }
    }

    /// <summary>An array of strings (blank entries dropped); a lone string is a one-element array.</summary>
    public static string[] StringArray(ref Utf8JsonReader r, List<string> scratch, StringPool? pool = null)
    {
        if (r.TokenType == JsonTokenType.StartArray)
        {
            scratch.Clear();
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                var s = String(ref r, pool);
                if (s is not null) scratch.Add(s);
            }
            return scratch.Count == 0 ? [] : [.. scratch];
        }
        var one = String(ref r, pool);
        return one is null ? [] : [one];
    }

    /// <summary>A number, or a string holding one; NaN otherwise.</summary>
    public static double Double(ref Utf8JsonReader r)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Number:
                return r.TryGetDouble(out var d) ? d : double.NaN;
            case JsonTokenType.String when !r.HasValueSequence && !r.ValueIsEscaped:
                return ParseDouble(r.ValueSpan);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                r.Skip();
                return double.NaN;
            default:
                return double.NaN;
        }
    }

    public static int? Int(ref Utf8JsonReader r)
    {
        double d = Double(ref r);
        return double.IsFinite(d) && d >= int.MinValue && d <= int.MaxValue ? (int)d : null;
    }

    /// <summary>true/false, or the strings true/false/oui/non/1/0 in any case.</summary>
    public static bool? Bool(ref Utf8JsonReader r)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Number: return r.TryGetDouble(out var d) ? d != 0 : null;
            case JsonTokenType.String when !r.HasValueSequence && !r.ValueIsEscaped:
                var s = Trim(r.ValueSpan);
                if (s.SequenceEqual("true"u8) || s.SequenceEqual("1"u8) || Ascii.EqualsIgnoreCase(s, "oui"u8) || Ascii.EqualsIgnoreCase(s, "true"u8)) return true;
                if (s.SequenceEqual("false"u8) || s.SequenceEqual("0"u8) || Ascii.EqualsIgnoreCase(s, "non"u8) || Ascii.EqualsIgnoreCase(s, "false"u8)) return false;
                return null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                r.Skip();
                return null;
            default:
                return null;
        }
    }

    /// <summary>"lat,lon" (the catalogue's and LBA's format); false when absent or unreadable.</summary>
    public static bool LatLon(ref Utf8JsonReader r, out double lat, out double lon)
    {
        lat = lon = double.NaN;
        if (r.TokenType == JsonTokenType.String && !r.HasValueSequence && !r.ValueIsEscaped)
        {
            var s = r.ValueSpan;
            int comma = s.IndexOf((byte)',');
            if (comma < 0) return false;
            lat = ParseDouble(s[..comma]);
            lon = ParseDouble(s[(comma + 1)..]);
            return true;
        }
        if (r.TokenType == JsonTokenType.StartArray)
        {
            // [lat, lon]
            int i = 0;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                double v = Double(ref r);
                if (i == 0) lat = v; else if (i == 1) lon = v;
                i++;
            }
            return i == 2;
        }
        if (r.TokenType is JsonTokenType.StartObject) r.Skip();
        return false;
    }

    /// <summary>A GeoJSON point <c>{"type":"Point","coordinates":[lon,lat]}</c> (the 2dsphere fields), used when the
    /// "lat,lon" string is missing.</summary>
    public static bool GeoJsonPoint(ref Utf8JsonReader r, out double lat, out double lon)
    {
        lat = lon = double.NaN;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            if (r.TokenType == JsonTokenType.StartArray) r.Skip();
            return false;
        }
        bool found = false;
        while (r.Read() && r.TokenType != JsonTokenType.EndObject)
        {
            bool isCoordinates = r.ValueTextEquals("coordinates"u8);
            r.Read();
            if (isCoordinates && r.TokenType == JsonTokenType.StartArray)
            {
                int i = 0;
                while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                {
                    double v = Double(ref r);
                    if (i == 0) lon = v; else if (i == 1) lat = v;
                    i++;
                }
                found = i >= 2;
            }
            else if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
        }
        return found;
    }

    /// <summary>Empty when the coordinates are usable, else the reason.</summary>
    public static string? CheckCoordinates(bool present, double lat, double lon, string field)
    {
        if (!present) return $"missing coordinates ({field})";
        if (!double.IsFinite(lat) || !double.IsFinite(lon)) return $"unreadable coordinates ({field})";
        if (lat < -90 || lat > 90) return $"latitude {lat.ToString(CultureInfo.InvariantCulture)} out of range -90..90 ({field})";
        if (lon < -180 || lon > 180) return $"longitude {lon.ToString(CultureInfo.InvariantCulture)} out of range -180..180 ({field})";
        return null;
    }

    /// <summary>
    /// Upper-cases, checks (<c>^[A-Z][0-9]{4}$</c>) and de-duplicates ROME codes in place. A string holding several
    /// comma-separated codes is split. Returns the reason when a code is malformed or none is left.
    /// </summary>
    public static string? NormalizeRomes(ref string[] codes, string field)
    {
        // Fast path: already clean (the usual case), no allocation.
        bool clean = codes.Length > 0;
        for (int i = 0; clean && i < codes.Length; i++)
        {
            if (!RomeCode.HasShape(codes[i])) clean = false;
            for (int j = 0; clean && j < i; j++) if (codes[j] == codes[i]) clean = false;
        }
        if (clean) return null;

        var result = new List<string>(codes.Length);
        Span<char> up = stackalloc char[5];
        foreach (var raw in codes)
        {
            foreach (var range in raw.AsSpan().Split(','))
            {
                var part = raw.AsSpan(range).Trim();
                if (part.IsEmpty) continue;
                if (part.Length != 5) return $"malformed ROME code '{part}' ({field})";
                part.ToUpperInvariant(up);
                if (!RomeCode.HasShape(up)) return $"malformed ROME code '{part}' ({field})";
                bool seen = false;
                foreach (var x in result) if (x.AsSpan().SequenceEqual(up)) { seen = true; break; }
                if (!seen) result.Add(new string(up));
            }
        }
        if (result.Count == 0) return $"no ROME code ({field})";
        codes = [.. result];
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsBlank(ReadOnlySpan<byte> s)
    {
        foreach (var b in s) if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && s[a] is (byte)' ' or (byte)'\t') a++;
        while (b > a && s[b - 1] is (byte)' ' or (byte)'\t') b--;
        return s[a..b];
    }

    public static double ParseDouble(ReadOnlySpan<byte> s)
    {
        s = Trim(s);
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
    }

    // {"$oid": "..."}, {"$date": "..."}, {"$date": {"$numberLong": "ms"}}, {"$numberInt": "..."}...: the first scalar inside.
    private static string? ExtendedScalar(ref Utf8JsonReader r)
    {
        string? result = null;
        int depth = r.CurrentDepth;
        while (r.Read())
        {
            if (r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth) break;
            if (r.TokenType != JsonTokenType.PropertyName) continue;
            bool isDate = r.ValueTextEquals(Date);
            bool isNumberLong = r.ValueTextEquals(NumberLong);
            bool isKnown = isDate || isNumberLong || r.ValueTextEquals(Oid) || (r.ValueSpan.Length > 0 && r.ValueSpan[0] == (byte)'$');
            r.Read();
            if (result is not null || !isKnown)
            {
                if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
                continue;
            }
            if (r.TokenType == JsonTokenType.StartObject)
            {
                // {"$date": {"$numberLong": "1700000000000"}}: milliseconds since the epoch → ISO 8601.
                var inner = ExtendedScalar(ref r);
                result = isDate && long.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? IsoFromMs(ms) : inner;
            }
            else if (isDate && r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var ms2)) result = IsoFromMs(ms2);
            else result = String(ref r);
        }
        return result;
    }

    private static string IsoFromMs(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
