using System.Text.Json;

namespace Alternance.Api.Json;

/// <summary>
/// How every answer writes a distance (docs/contract.md#radius-and-distance): km rounded to 2 decimals, half away from
/// zero, as the shortest text (<c>12.3</c>, <c>7</c>); in a listing (no centre: NaN) <c>null</c>, or <c>0</c> for
/// national offers. The one definition for the item writer, the distances cut into kept renderings per hit, and the
/// free-text search. Digits are written from integer hundredths: the general double formatter looks up culture data
/// per call, and this runs once per result.
/// </summary>
public static class DistanceText
{
    /// <summary>Room for any distance <see cref="Format"/> accepts (hundredths below 10^15).</summary>
    public const int MaxLength = 20;

    /// <summary>The distance's text into <paramref name="destination"/>; returns its length.</summary>
    public static int Format(Span<byte> destination, Source source, double distance)
    {
        if (double.IsNaN(distance))
        {
            ReadOnlySpan<byte> text = source == Source.PeJob ? "0"u8 : "null"u8;
            text.CopyTo(destination);
            return text.Length;
        }
        return FormatKm(destination, distance);
    }

    /// <summary>The property <c>"distance"</c> and its value, as <see cref="Format"/> writes it.</summary>
    public static void Write(Utf8JsonWriter writer, Source source, double distance)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        int length = Format(text, source, distance);
        writer.WritePropertyName("distance"u8);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
    }

    /// <summary>A measured distance (not NaN) rounded to 2 decimals.</summary>
    public static int FormatKm(Span<byte> destination, double distance)
    {
        // Math.Round(d, 2, AwayFromZero) is Round(d × 100) / 100, and the shortest text of k / 100 is k's digits with
        // the point two places in (trailing zeros dropped).
        double hundredths = Math.Round(distance * 100, MidpointRounding.AwayFromZero);
        if (!(hundredths >= 0 && hundredths < 1e15))
        {
            throw new InvalidOperationException($"A distance of {distance} km is out of range.");
        }
        long k = (long)hundredths;
        long whole = k / 100;
        int fraction = (int)(k - whole * 100);
        int written = WriteDigits(destination, (ulong)whole);
        if (fraction != 0)
        {
            destination[written++] = (byte)'.';
            destination[written++] = (byte)('0' + fraction / 10);
            if (fraction % 10 != 0) destination[written++] = (byte)('0' + fraction % 10);
        }
        return written;
    }

    private static int WriteDigits(Span<byte> destination, ulong value)
    {
        int digits = 1;
        for (ulong rest = value / 10; rest != 0; rest /= 10) digits++;
        for (int at = digits - 1; at >= 0; at--)
        {
            ulong next = value / 10;
            destination[at] = (byte)('0' + (int)(value - next * 10));
            value = next;
        }
        return digits;
    }
}
