namespace Alternance.Tests.Engine;

/// <summary>
/// Random, seeded items for engine tests: dense around French cities (Paris gets thousands, so some cells are
/// big), spread across the metropolitan area and the overseas départements, with exact position ties, training
/// duplicates, recruiters with several jobs, and every filter attribute varied.
/// </summary>
public sealed class TestFeeds(int seed)
{
    public static readonly (string Name, double Lat, double Lon, double Weight, double SpreadKm)[] Hubs =
    [
        ("paris", 48.8566, 2.3522, 30, 12),
        ("lyon", 45.7640, 4.8357, 8, 15),
        ("marseille", 43.2965, 5.3698, 6, 15),
        ("toulouse", 43.6047, 1.4442, 6, 20), // on the icosahedron edge between faces 3 and 4
        ("lille", 50.6292, 3.0573, 5, 15),
        ("bordeaux", 44.8378, -0.5792, 5, 20),
        ("strasbourg", 48.5734, 7.7521, 4, 15),
        ("ajaccio", 41.9192, 8.7386, 2, 20),
        ("brest", 48.3904, -4.4861, 2, 25),
        ("guadeloupe", 16.2650, -61.5510, 2, 15),
        ("martinique", 14.6415, -61.0242, 2, 10),
        ("guyane", 4.9224, -52.3135, 1, 30),
        ("reunion", -21.1151, 55.5364, 2, 15),
        ("mayotte", -12.7806, 45.2279, 1, 8),
        ("rural", 46.6, 2.4, 12, 250),
    ];

    public static readonly string[] Romes =
    [
        "M1607", "M1805", "D1106", "D1211", "F1603", "F1703", "G1602", "G1603", "H2909", "I1304",
        "K2111", "M1203", "N1103", "D1501", "A1203", "J1501", "E1205", "H1504", "M1602", "K1302",
    ];

    public static readonly string[] Opcos = ["AKTO", "ATLAS", "OPCO2I", "OCAPIAT", "EP", "SANTE"];

    public static readonly string[] Niveaux = ["3 (CAP...)", "4 (BAC...)", "5 (BTS, DEUST...)", "6 (Licence, BUT...)", "7 (Master, titre ingénieur...)"];

    public static readonly string[] JobLevels =
    [
        "Indifférent", "Cap, autres formations niveau (Infrabac)", "BP, Bac, autres formations niveau (Bac)",
        "BTS, DEUST, autres formations niveau (Bac+2)", "Licence, autres formations niveau (Bac+3)",
        "Master, titre ingénieur, autres formations niveau (Bac+5)",
    ];

    private readonly Random _random = new(seed);

    public (double Lat, double Lon) Position(double spreadScale = 1)
    {
        double total = 0;
        foreach (var hub in Hubs) total += hub.Weight;
        double pick = _random.NextDouble() * total;
        foreach (var hub in Hubs)
        {
            pick -= hub.Weight;
            if (pick > 0) continue;
            double spread = hub.SpreadKm * spreadScale / 111.0;
            double lat = hub.Lat + Gaussian() * spread;
            double lon = hub.Lon + Gaussian() * spread / Math.Cos(hub.Lat * Math.PI / 180);
            return (Math.Round(lat, 5), Math.Round(lon, 5));
        }
        return (Hubs[0].Lat, Hubs[0].Lon);
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    public string[] PickRomes(int max)
    {
        int n = 1 + _random.Next(max);
        var set = new HashSet<string>();
        while (set.Count < n)
        {
            // Skewed: the first codes are far more common, so posting lists differ in size.
            int i = (int)(Romes.Length * Math.Pow(_random.NextDouble(), 2));
            set.Add(Romes[i]);
        }
        return [.. set];
    }

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];

    public List<FormationItem> Formations(int count, string prefix = "f")
    {
        var items = new List<FormationItem>(count);
        for (int i = 0; i < count; i++)
        {
            var (lat, lon) = Position();
            // A CFA teaches several trainings at one address: exact ties.
            if (i > 0 && _random.NextDouble() < 0.2)
            {
                lat = items[^1].Latitude;
                lon = items[^1].Longitude;
            }
            var item = new FormationItem
            {
                Id = $"{prefix}{_random.Next(1_000_000):D6}-{i}",
                Latitude = lat,
                Longitude = lon,
                RomeCodes = PickRomes(3),
                IntituleLong = $"FORMATION {(char)('A' + _random.Next(26))}{_random.Next(100)}",
                IntituleCourt = "F",
                Diplome = "DIPLOME",
                Niveau = _random.NextDouble() < 0.05 ? null : Pick(Niveaux),
                CodePostal = $"{_random.Next(1, 96):D2}{_random.Next(1000):D3}",
                FormateurSiret = $"{_random.Next(100):D14}",
                FormateurEnseigne = _random.NextDouble() < 0.5 ? null : $"CFA {_random.Next(50)}",
                FormateurRaisonSociale = $"ORGANISME {_random.Next(50)}",
            };
            items.Add(item);
            // ~5% near-duplicates: same de-duplication key, another id, a slightly different place.
            if (_random.NextDouble() < 0.05)
            {
                items.Add(item with
                {
                    Id = item.Id + "-dup",
                    Latitude = item.Latitude + (_random.NextDouble() - 0.5) * 0.02,
                    Longitude = item.Longitude + (_random.NextDouble() - 0.5) * 0.02,
                });
                i++;
            }
        }
        return items;
    }

    public List<PeJobItem> PeJobs(int count, string prefix = "p")
    {
        var items = new List<PeJobItem>(count);
        string[] levels = ["NV1", "NV2", "NV3", "NV4", "NV5"];
        for (int i = 0; i < count; i++)
        {
            var (lat, lon) = Position();
            items.Add(new PeJobItem
            {
                Id = $"{prefix}{i:D6}{(char)('A' + _random.Next(26))}",
                Latitude = lat,
                Longitude = lon,
                RomeCodes = [Romes[(int)(Romes.Length * Math.Pow(_random.NextDouble(), 2))]],
                Intitule = $"Offre {(char)('A' + _random.Next(26))}",
                EntrepriseNom = $"Entreprise {_random.Next(200)}",
                NiveauFormation = _random.NextDouble() < 0.3 ? null : Pick(levels),
                Opco = _random.NextDouble() < 0.3 ? null : Pick(Opcos),
                CodePostal = $"{_random.Next(1, 96):D2}{_random.Next(1000):D3}",
                DateCreation = PickDate(Creations),
            });
        }
        return items;
    }

    /// <summary>The instant queries are made at (<see cref="SourceQuery.AsOf"/>): some posted offers have expired by then.</summary>
    public static readonly long AsOf = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    // Few distinct creation dates, so that the v3 order's ties (same date, then id) are common; none for some items.
    private static readonly string[] Creations = ["2026-01-15T08:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-10T12:30:00.000Z", "2026-03-10"];
    private static readonly string[] Expirations = ["2026-05-31T23:59:59.999Z", "2026-06-01T00:00:00.000Z", "2026-06-01T00:00:00.001Z", "2026-09-01"];

    private string? PickDate(string[] dates) => _random.NextDouble() < 0.2 ? null : dates[_random.Next(dates.Length)];

    public List<MatchaItem> Matchas(int recruiters, string prefix = "m")
    {
        var items = new List<MatchaItem>();
        for (int r = 0; r < recruiters; r++)
        {
            var (lat, lon) = Position();
            var recruiter = new RecruiterInfo
            {
                EstablishmentId = $"{prefix}-rec-{r:D5}",
                Latitude = lat,
                Longitude = lon,
                Enseigne = _random.NextDouble() < 0.2 ? null : $"Recruteur {_random.Next(300)}",
                RaisonSociale = _random.NextDouble() < 0.5 ? null : $"SOCIETE {_random.Next(300)}",
                Opco = Pick(Opcos),
                OpcoUrl = "https://www.opco.fr/" + _random.Next(3),
                Status = _random.NextDouble() < 0.05 ? "Archivé" : "Actif",
                ZipCode = _random.NextDouble() < 0.1 ? null : $"{_random.Next(1, 96):D2}{_random.Next(1000):D3}",
            };
            int jobs = 1 + _random.Next(4);
            for (int j = 0; j < jobs; j++)
            {
                items.Add(new MatchaItem
                {
                    Id = $"{prefix}{r:D5}{j:D2}{_random.Next(1_000_000):x6}",
                    Latitude = lat,
                    Longitude = lon,
                    RomeCodes = PickRomes(2),
                    Recruiter = recruiter,
                    RomeAppellationLabel = $"Métier {(char)('A' + _random.Next(26))}",
                    JobLevelLabel = Pick(JobLevels),
                    JobStatus = _random.NextDouble() < 0.1 ? "Pourvue" : "Active",
                    IsMultiPublished = _random.NextDouble() < 0.85,
                    IsDisabledElligible = _random.NextDouble() < 0.2,
                    JobCreationDate = PickDate(Creations),
                    JobExpirationDate = PickDate(Expirations),
                });
            }
        }
        return items;
    }

    public List<CompanyItem> Companies(int count, string prefix = "c")
    {
        var items = new List<CompanyItem>(count);
        for (int i = 0; i < count; i++)
        {
            var (lat, lon) = Position();
            string opco = Pick(Opcos);
            items.Add(new CompanyItem
            {
                Id = $"{prefix}{i:D13}",
                Latitude = lat,
                Longitude = lon,
                RomeCodes = PickRomes(4),
                Enseigne = $"ENTREPRISE {(char)('A' + _random.Next(26))}{_random.Next(1000)}",
                OpcoShortName = opco,
                OpcoUrl = "https://www." + opco.ToLowerInvariant() + ".fr",
                ZipCode = $"{_random.Next(1, 96):D2}{_random.Next(1000):D3}",
            });
        }
        return items;
    }

    /// <summary>A random query over <paramref name="source"/>, as the API would build it.</summary>
    public SourceQuery Query(Source source)
    {
        bool listing = _random.NextDouble() < 0.08;
        var (lat, lon) = _random.NextDouble() < 0.9 ? Position(2) : (_random.NextDouble() * 180 - 90, _random.NextDouble() * 360 - 180);
        double radius = _random.Next(10) switch
        {
            0 => 0,
            1 => 20000,
            2 => _random.Next(1, 6) * 1.0,
            _ => Math.Round(_random.NextDouble() * 200, 1),
        };
        string[] romes = [];
        string? domain = null;
        double kind = _random.NextDouble();
        if (kind < 0.75) romes = PickRomes(3);
        else if (kind < 0.9) domain = Romes[_random.Next(Romes.Length)][..(_random.Next(2) == 0 ? 1 : 3)];
        int diploma = _random.NextDouble() < 0.3 ? _random.Next(3, 8) : 0;
        return new SourceQuery
        {
            Source = source,
            Area = listing ? SearchArea.Listing : SearchArea.Radius,
            Latitude = lat,
            Longitude = lon,
            RadiusKm = radius,
            Romes = romes,
            RomeDomain = domain,
            DiplomaLevel = diploma,
            Opco = source is Source.Company or Source.PeJob or Source.Matcha && _random.NextDouble() < 0.15 ? Pick(Opcos) : null,
            MultiPublishedOnly = source == Source.Matcha && _random.NextDouble() < 0.5,
            Limit = source switch
            {
                Source.Formation => _random.NextDouble() < 0.5 ? 500 : 20,
                Source.Matcha => _random.NextDouble() < 0.5 ? 250 : 10,
                _ => _random.NextDouble() < 0.5 ? 150 : 15,
            },
            PostalPrefixes = listing && _random.NextDouble() < 0.5 ? [$"{_random.Next(1, 96):D2}"] : [],
            AsOf = AsOf,
            NewestFirst = source is Source.PeJob or Source.Matcha && _random.NextDouble() < 0.3,
            DisabledElligibleOnly = source is Source.PeJob or Source.Matcha && _random.NextDouble() < 0.1,
        };
    }
}
