namespace Alternance.Testing;

/// <summary>SIRETs for tests: valid (Luhn, written here independently of the service's check) and unused.</summary>
public static class TestSirets
{
    /// <summary>A Luhn-valid SIRET starting with 9, outside the generator's range of company SIRETs.</summary>
    public static string New()
    {
        var digits = new int[14];
        digits[0] = 9;
        for (int i = 1; i < 13; i++) digits[i] = Random.Shared.Next(10);
        // Luhn: from the right, every second digit doubled (minus 9 above 9); the sum is a multiple of 10.
        int sum = 0;
        for (int i = 0; i < 13; i++)
        {
            int d = digits[12 - i];
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        digits[13] = (10 - sum % 10) % 10;
        return string.Concat(digits);
    }
}
