namespace Alternance.Geo;

/// <summary>An H3 operation failed. <see cref="Code"/> is the H3Error number of the reference library.</summary>
/// <remarks>
/// Codes used here: 1 E_FAILED (e.g. gridDistance across non-neighbouring base cells or a pentagon),
/// 2 E_DOMAIN (negative k, bad radius, cover too large), 3 E_LATLNG_DOMAIN (non-finite latitude or longitude),
/// 4 E_RES_DOMAIN (resolution outside 0..15 or not finer/coarser as required), 5 E_CELL_INVALID,
/// 12 E_RES_MISMATCH, 14 E_MEMORY_BOUNDS (destination span too small).
/// </remarks>
public sealed class H3Exception : Exception
{
    /// <summary>E_FAILED: the operation could not be completed.</summary>
    public const int Failed = 1;
    /// <summary>E_DOMAIN: an argument is outside its domain.</summary>
    public const int Domain = 2;
    /// <summary>E_LATLNG_DOMAIN: latitude or longitude is not finite.</summary>
    public const int LatLngDomain = 3;
    /// <summary>E_RES_DOMAIN: resolution out of range.</summary>
    public const int ResDomain = 4;
    /// <summary>E_CELL_INVALID: the index is not a valid H3 cell.</summary>
    public const int CellInvalid = 5;
    /// <summary>E_PENTAGON: pentagonal distortion was encountered.</summary>
    public const int Pentagon = 9;
    /// <summary>E_RES_MISMATCH: the resolutions of the arguments are incompatible.</summary>
    public const int ResMismatch = 12;
    /// <summary>E_MEMORY_BOUNDS: the destination buffer is too small.</summary>
    public const int MemoryBounds = 14;

    /// <summary>The H3Error code (1..19), as in the reference library and h3-js's <c>error.code</c>.</summary>
    public int Code { get; }

    /// <summary>Creates an exception for an H3Error code.</summary>
    public H3Exception(int code, string message) : base($"{message} (H3 error {code}: {Describe(code)})") => Code = code;

    /// <summary>Creates an exception for an H3Error code with the reference description.</summary>
    public H3Exception(int code) : this(code, "H3 operation failed") { }

    /// <summary>The reference library's description of an H3Error code.</summary>
    public static string Describe(int code) => code switch
    {
        0 => "Success",
        1 => "The operation failed but a more specific error is not available",
        2 => "Argument was outside of acceptable range",
        3 => "Latitude or longitude arguments were outside of acceptable range",
        4 => "Resolution argument was outside of acceptable range",
        5 => "Cell argument was not valid",
        6 => "Directed edge argument was not valid",
        7 => "Undirected edge argument was not valid",
        8 => "Vertex argument was not valid",
        9 => "Pentagon distortion was encountered",
        10 => "Duplicate input",
        11 => "Cell arguments were not neighbors",
        12 => "Cell arguments had incompatible resolutions",
        13 => "Memory allocation failed",
        14 => "Bounds of provided memory were insufficient",
        15 => "Mode or flags argument was not valid",
        16 => "Index argument was not valid",
        17 => "Base cell number was outside of acceptable range",
        18 => "Child indexing digits invalid",
        19 => "Child indexing digits refer to a deleted subsequence",
        _ => "Unknown error",
    };
}
