namespace Alternance.Grains;

/// <summary>Names of the grain storage providers the grains use; the hosts register them.</summary>
public static class StorageNames
{
    /// <summary>
    /// Every grain's state: cells, locators, the directory, recruiters, applications, appointments, SIREN → OPCO. The
    /// value is still "cells" (its first use): stores written since name their provider so.
    /// </summary>
    public const string GrainState = "cells";
}
