namespace Alternance.Grains;

/// <summary>Names of the grain storage providers the grains use; the hosts register them.</summary>
public static class StorageNames
{
    /// <summary>Cell contents, locators and the directory.</summary>
    public const string Cells = "cells";
}
