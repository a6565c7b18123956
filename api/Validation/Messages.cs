namespace Alternance.Api.Validation;

/// <summary>The validation messages, exactly as docs/contract.md#validation-messages words them.</summary>
public static class Messages
{
    public const string CallerMissing = "caller : caller is missing.";

    public const string RomesMissing = "romes : Rome codes are missing. At least 1.";
    public const string RomesBadFormat = "romes : Badly formatted rome codes. Rome code must be one letter followed by 4 digit number. ex : A1234";
    public static string RomesTooMany(int limit) => $"romes : Too many rome codes. Maximum is {limit}.";

    public const string RomesOrRncpBoth = "romes or rncp : You must specify either a rncp code or 1 or more rome codes.";
    public const string RomesOrRncpNone = "romes or rncp : You must specify at least 1 rome code or a rncp code.";
    public const string RncpBadFormat = "rncp : Badly formatted rncp code. RNCP code must include 'RNCP' prefix followed by 2 to 5 digit number. ex : RNCP12, RNCP12345 ...";
    public static string RncpUnknown(string rncp) => $"rncp : Rncp code not recognized. Please check that it exists. ({rncp})";

    public const string RomesOrDomainNone = "romes, romeDomain : You must define at least 1 rome code OR a single romeDomain.";
    public const string RomesOrDomainBoth = "romes, romeDomain : You must define either romes OR romeDomain, not both.";
    public const string RomeDomainBadFormat = "romeDomain : Badly formatted romeDomain. Rome domain must be one letter or one letter followed by 2 digit number. ex : A or A12";

    public const string LatitudeMissing = "latitude : Search center latitude is missing.";
    public const string LatitudeNaN = "latitude : Search center latitude must be a number.";
    public const string LatitudeRange = "latitude : Search center latitude must be a number between -90 and 90.";
    public const string LongitudeMissing = "longitude : Search center longitude is missing.";
    public const string LongitudeNaN = "longitude : Search center longitude must be a number.";
    public const string LongitudeRange = "longitude : Search center longitude must be a number between -180 and 180.";
    public const string RadiusMissing = "radius : Search radius is missing.";
    public const string RadiusNaN = "radius : Search radius must be a number.";
    public const string RadiusRange = "radius : Search radius must be a number between 0 and 200.";

    public const string InseeMissing = "insee : insee city code is missing.";
    public const string InseeBadFormat = "insee : Badly formatted insee city code. Must be 5 digit number.";
    public const string InseeNotFound = "insee : insee city code not found.";

    public const string DiplomaBad = "diploma : Optional diploma argument used with wrong value. Should contains only one of \"3xxx\",\"4xxx\",\"5xxx\",\"6xxx\",\"7xxx\". xxx maybe any value";

    public const string SourcesBad = "sources : Optional sources argument used with wrong value. Should contain comma-separated values among formation, formations, matcha, lba, lbb, offres, peJob.";

    public const string RegionAndDepartement = "region, departement : You must define either region OR departement, not both.";
    public const string DepartementBadFormat = "departement : Badly formatted departement. departement must be a two digit number or three digit number for overseas departments. ex : 01 or 974";
    public const string RegionBadFormat = "region : Badly formatted region. region must be a two digit number. ex : 01";
    public const string RegionNotAllowed = "region : Badly formatted region. region must be one of the allowed values as described in the api online doc.";
    public const string RegionNothing = "region, departement, romes, romeDomain : You must assign a value to at least one of these parameters.";

    public const string SiretInvalid = "siret : SIRET invalide";

    public const string MetiersMissing = "Parameters must include at least one from 'title', 'romes' and 'rncps'";
    public const string LabelMissing = "Parameters must include a label to search for.";
}
