namespace Alternance;

/// <summary>The four kinds of searchable items, each imported from its own feed.</summary>
public enum Source : byte
{
    /// <summary>Apprenticeship trainings (the training catalogue), <c>ideaType: "formation"</c>.</summary>
    Formation = 0,
    /// <summary>National job offers (the France Travail feed), <c>ideaType: "peJob"</c>.</summary>
    PeJob = 1,
    /// <summary>Offers posted by recruiters through the form, one item per job, <c>ideaType: "matcha"</c>.</summary>
    Matcha = 2,
    /// <summary>Companies likely to hire apprentices, <c>ideaType: "lba"</c>.</summary>
    Company = 3,
}

public static class Sources
{
    public const int Count = 4;

    /// <summary>The feed name used by the import routes and the CLI.</summary>
    public static string FeedName(this Source source) => source switch
    {
        Source.Formation => "formations",
        Source.PeJob => "peJobs",
        Source.Matcha => "recruiters",
        Source.Company => "companies",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    public static bool TryParseFeedName(string? name, out Source source)
    {
        switch (name?.ToLowerInvariant())
        {
            case "formations": case "formation": source = Source.Formation; return true;
            case "pejobs": case "pejob": source = Source.PeJob; return true;
            case "recruiters": case "matchas": case "matcha": source = Source.Matcha; return true;
            case "companies": case "lbacompanies": case "lba": source = Source.Company; return true;
            default: source = default; return false;
        }
    }
}
