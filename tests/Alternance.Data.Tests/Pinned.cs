namespace Alternance.Data.Tests;

/// <summary>
/// Values of the default seed (20261129), recorded once. The generator uses its own PRNG and only exact arithmetic, so
/// these must not change with the runtime or the platform; a deliberate change to the generator updates them.
/// </summary>
internal static class Pinned
{
    public const string FormationId = "100000P500893359773221300048497732213000484-81220#L01";
    public const double FormationLatitude = 43.84413;
    public const string CompanyId = "06371708600480";
}
