namespace Alternance;

/// <summary>
/// The SIRET and SIREN rules, defined once for the API's checks, the feed reader and the dataset generator: a SIRET is
/// 14 ASCII digits (a SIREN 9) and passes the Luhn check, as La bonne alternance's <c>luhn.validate</c> does.
/// </summary>
public static class Siret
{
    /// <summary>14 ASCII digits (<c>^[0-9]{14}$</c>): the shape the routes check before the Luhn key.</summary>
    public static bool HasShape(ReadOnlySpan<char> s) => s.Length == 14 && AllDigits(s);

    /// <summary>14 digits and a valid Luhn key.</summary>
    public static bool IsValid(ReadOnlySpan<char> siret) => siret.Length == 14 && IsLuhnValid(siret);

    /// <summary>9 digits and a valid Luhn key.</summary>
    public static bool IsValidSiren(ReadOnlySpan<char> siren) => siren.Length == 9 && IsLuhnValid(siren);

    /// <summary>All ASCII digits, at least one, and the Luhn sum is a multiple of 10.</summary>
    public static bool IsLuhnValid(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty) return false;
        int sum = 0;
        bool twice = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if ((uint)d > 9) return false;
            if (twice) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /// <summary>The digit that, appended to <paramref name="body"/> (digits), makes it Luhn-valid.</summary>
    public static char LuhnKey(ReadOnlySpan<char> body)
    {
        int sum = 0;
        bool twice = true; // the key will be the rightmost digit, so the body's last digit is doubled
        for (int i = body.Length - 1; i >= 0; i--)
        {
            int d = body[i] - '0';
            if (twice) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            twice = !twice;
        }
        return (char)('0' + (10 - sum % 10) % 10);
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
