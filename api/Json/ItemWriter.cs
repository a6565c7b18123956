using System.Globalization;
using System.Text.Json;

namespace Alternance.Api.Json;

/// <summary>What item writing depends on besides the item: the caller's rights and the request's options.</summary>
public readonly record struct ItemWriteOptions(IContactProtector Protector, bool ShowCompanyPhone, bool WithDescription);

/// <summary>
/// The reference's item shapes (§2.2–2.6), written straight from the engine's items with a <see cref="Utf8JsonWriter"/>:
/// no intermediate objects, no LINQ. Property names are UTF-8 literals.
/// </summary>
public static class ItemWriter
{
    public const string PeJobUrlPrefix = "https://candidat.francetravail.fr/offres/recherche/detail/";
    public const string PeJobUrlSuffix = "?at_medium=CMP&at_campaign=labonnealternance_candidater_a_une_offre";

    /// <summary>A failed source's slot (reference §2.1 ApiError).</summary>
    public static void WriteSourceError(Utf8JsonWriter w, Exception error)
    {
        w.WriteStartObject();
        w.WriteString("result"u8, "error");
        w.WriteString("error"u8, "error");
        w.WriteString("message"u8, SourceErrorMessage(error));
        w.WriteEndObject();
    }

    public static string SourceErrorMessage(Exception error) => error switch
    {
        TimeoutException or OperationCanceledException => "Source indisponible : délai dépassé",
        _ => "Source indisponible",
    };

    public static void WriteItem(Utf8JsonWriter w, SearchItem item, double distance, in ItemWriteOptions options)
    {
        switch (item)
        {
            case FormationItem f: WriteFormation(w, f, distance, options.WithDescription); break;
            case PeJobItem p: WritePeJob(w, p, distance); break;
            case MatchaItem m: WriteMatcha(w, m, distance, options); break;
            case CompanyItem c: WriteCompany(w, c, distance, options); break;
        }
    }

    // ------------------------------------------------------------------ trainings (§2.3)

    public static void WriteFormation(Utf8JsonWriter w, FormationItem f, double distance, bool withDescription)
    {
        w.WriteStartObject();
        w.WriteString("ideaType"u8, "formation");
        w.WriteString("title"u8, f.IntituleLong ?? f.IntituleCourt);
        w.WriteString("longTitle"u8, f.IntituleLong);
        w.WriteString("id"u8, f.Id);
        w.WriteString("idRco"u8, f.IdFormation);
        w.WriteString("idRcoFormation"u8, f.IdRcoFormation);
        w.WriteString("cleMinistereEducatif"u8, f.Id);
        w.WriteString("diplomaLevel"u8, f.Niveau);
        w.WriteString("diploma"u8, f.Diplome);
        w.WriteString("cfd"u8, f.Cfd);
        w.WriteString("rncpCode"u8, f.RncpCode);
        w.WriteString("rncpLabel"u8, f.RncpIntitule);
        if (f.RncpEligibleApprentissage is bool eligible) w.WriteBoolean("rncpEligibleApprentissage"u8, eligible);
        else w.WriteNull("rncpEligibleApprentissage"u8);
        w.WriteNull("period"u8);
        w.WriteString("capacity"u8, f.Capacite);
        w.WriteString("onisepUrl"u8, f.OnisepUrl);

        w.WriteStartObject("contact"u8);
        w.WriteString("phone"u8, f.Phone);
        w.WriteEndObject();

        w.WriteStartObject("place"u8);
        WriteDistance(w, distance);
        if (f.Adresse is not null) w.WriteString("fullAddress"u8, Join3(f.Adresse, f.CodePostal, f.Localite));
        else w.WriteNull("fullAddress"u8);
        w.WriteNumber("latitude"u8, f.Latitude);
        w.WriteNumber("longitude"u8, f.Longitude);
        w.WriteString("city"u8, f.Localite);
        w.WriteString("address"u8, f.Adresse);
        w.WriteString("cedex"u8, f.FormateurCedex);
        w.WriteString("zipCode"u8, f.CodePostal);
        w.WriteString("departementNumber"u8, f.NumDepartement);
        w.WriteString("region"u8, f.Region);
        w.WriteString("insee"u8, f.CodeCommuneInsee);
        w.WriteBoolean("remoteOnly"u8, f.EntierementADistance);
        w.WriteEndObject();

        w.WriteStartObject("company"u8);
        w.WriteString("name"u8, f.FormateurEnseigne ?? f.FormateurRaisonSociale ?? f.GestionnaireRaisonSociale);
        w.WriteString("siret"u8, f.FormateurSiret);
        w.WriteNull("id"u8);
        w.WriteString("uai"u8, f.FormateurUai);
        w.WriteStartObject("headquarter"u8);
        w.WriteNull("id"u8);
        w.WriteString("uai"u8, f.GestionnaireUai);
        w.WriteString("siret"u8, f.GestionnaireSiret);
        w.WriteNull("type"u8);
        w.WriteNull("hasConvention"u8);
        w.WriteStartObject("place"u8);
        w.WriteNull("address"u8);
        w.WriteNull("cedex"u8);
        w.WriteNull("zipCode"u8);
        w.WriteNull("city"u8);
        w.WriteEndObject();
        w.WriteString("name"u8, f.GestionnaireRaisonSociale);
        w.WriteEndObject();
        w.WriteStartObject("place"u8);
        w.WriteNull("city"u8);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("romes"u8);
        foreach (string code in f.RomeCodes)
        {
            w.WriteStartObject();
            w.WriteString("code"u8, code);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartObject("training"u8);
        w.WriteString("objectif"u8, withDescription ? f.Objectif : null);
        w.WriteString("description"u8, withDescription ? f.Contenu : null);
        w.WriteStartArray("sessions"u8);
        int sessions = Math.Max(f.DateDebut.Length, f.DateFin.Length);
        for (int i = 0; i < sessions; i++)
        {
            w.WriteStartObject();
            w.WriteString("startDate"u8, i < f.DateDebut.Length ? f.DateDebut[i] : null);
            w.WriteString("endDate"u8, i < f.DateFin.Length ? f.DateFin[i] : null);
            w.WriteBoolean("isPermanentEntry"u8, false);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (f.DateDebut.Length > 0 && f.DateFin.Length > 0 && TryParseDate(f.DateDebut[0], out DateTime start) && TryParseDate(f.DateFin[0], out DateTime end))
        {
            w.WriteNumber("duration"u8, (int)Math.Floor((end - start).TotalDays));
        }
        else
        {
            w.WriteNull("duration"u8);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ national offers (§2.4)

    public static void WritePeJob(Utf8JsonWriter w, PeJobItem p, double distance)
    {
        w.WriteStartObject();
        w.WriteString("ideaType"u8, "peJob");
        w.WriteString("id"u8, p.Id);
        w.WriteString("title"u8, p.Intitule);
        if (p.ContactNom is null && p.ContactCourriel is null)
        {
            w.WriteNull("contact"u8);
        }
        else
        {
            w.WriteStartObject("contact"u8);
            w.WriteString("name"u8, p.ContactNom);
            w.WriteString("email"u8, p.ContactCourriel);
            w.WriteNull("info"u8);
            w.WriteEndObject();
        }

        w.WriteStartObject("place"u8);
        // Listings have no centre: the reference reports 0 for national offers (§3.6).
        if (double.IsNaN(distance)) w.WriteNumber("distance"u8, 0);
        else WriteDistance(w, distance);
        w.WriteString("insee"u8, p.CommuneInsee);
        w.WriteString("zipCode"u8, p.CodePostal);
        w.WriteString("city"u8, p.LieuLibelle);
        w.WriteNumber("latitude"u8, p.Latitude);
        w.WriteNumber("longitude"u8, p.Longitude);
        if (p.LieuLibelle is null && p.CodePostal is null) w.WriteNull("fullAddress"u8);
        else w.WriteString("fullAddress"u8, Join2(p.LieuLibelle, p.CodePostal));
        w.WriteEndObject();

        w.WriteStartObject("company"u8);
        w.WriteString("name"u8, p.EntrepriseNom);
        w.WriteString("logo"u8, p.EntrepriseLogo);
        w.WriteString("description"u8, p.EntrepriseDescription);
        // Blanked for API callers (reference §1.1): the SIRET is kept for the service's own front.
        w.WriteNull("siret"u8);
        w.WriteEndObject();

        w.WriteString("url"u8, string.Concat(PeJobUrlPrefix, p.Id, PeJobUrlSuffix));

        w.WriteStartObject("job"u8);
        w.WriteString("id"u8, p.Id);
        w.WriteString("creationDate"u8, p.DateCreation);
        w.WriteString("description"u8, p.Description);
        w.WriteString("contractType"u8, p.TypeContrat);
        w.WriteString("contractDescription"u8, p.TypeContratLibelle);
        w.WriteString("duration"u8, p.DureeTravailLibelle);
        w.WriteStartArray("type"u8);
        if (p.NatureContrat is { } nature)
        {
            if (nature.Contains("apprentissage", StringComparison.OrdinalIgnoreCase)) w.WriteStringValue("Apprentissage");
            else if (nature.Contains("professionnalisation", StringComparison.OrdinalIgnoreCase)) w.WriteStringValue("Professionnalisation");
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("romes"u8);
        for (int i = 0; i < p.RomeCodes.Length; i++)
        {
            w.WriteStartObject();
            w.WriteString("code"u8, p.RomeCodes[i]);
            w.WriteString("label"u8, i == 0 ? p.AppellationLibelle : null);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("nafs"u8);
        if (p.SecteurActivite is not null || p.SecteurActiviteLibelle is not null)
        {
            w.WriteStartObject();
            w.WriteString("code"u8, p.SecteurActivite);
            w.WriteString("label"u8, p.SecteurActiviteLibelle);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ posted offers (§2.5)

    public static void WriteMatcha(Utf8JsonWriter w, MatchaItem m, double distance, in ItemWriteOptions options)
    {
        RecruiterInfo r = m.Recruiter;
        w.WriteStartObject();
        w.WriteString("ideaType"u8, "matcha");
        w.WriteString("id"u8, m.Id);
        w.WriteString("title"u8, Ranking.Title(m));

        w.WriteStartObject("contact"u8);
        // An offer a partner posted through v3 names its own contact for applications.
        WriteProtectedEmail(w, m.Partner is { } partner ? partner.ApplyEmail : r.Email, m, options.Protector);
        string? name = r.FirstName is null ? r.LastName : r.LastName is null ? r.FirstName : string.Concat(r.FirstName, " ", r.LastName);
        w.WriteString("name"u8, name);
        w.WriteString("phone"u8, m.Partner is { } p ? p.ApplyPhone : r.Phone);
        w.WriteEndObject();

        string? address = m.CustomAddress ?? r.Address;
        w.WriteStartObject("place"u8);
        WriteDistance(w, distance);
        w.WriteString("fullAddress"u8, r.IsDelegated ? null : address);
        w.WriteString("address"u8, r.IsDelegated ? null : address);
        w.WriteNumber("latitude"u8, m.Latitude);
        w.WriteNumber("longitude"u8, m.Longitude);
        w.WriteString("city"u8, r.City);
        w.WriteEndObject();

        w.WriteStartObject("company"u8);
        w.WriteString("siret"u8, r.Siret);
        w.WriteString("name"u8, r.Enseigne ?? r.RaisonSociale ?? "Enseigne inconnue");
        w.WriteString("size"u8, r.EstablishmentSize);
        w.WriteBoolean("mandataire"u8, r.IsDelegated);
        w.WriteString("creationDate"u8, r.EstablishmentCreationDate);
        if (r.IsDelegated)
        {
            w.WriteStartObject("place"u8);
            w.WriteString("address"u8, address);
            w.WriteString("fullAddress"u8, address);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("place"u8);
        }
        if (r.Opco is null && r.OpcoUrl is null) w.WriteNull("opco"u8);
        else
        {
            w.WriteStartObject("opco"u8);
            w.WriteString("label"u8, r.Opco);
            w.WriteString("url"u8, r.OpcoUrl);
            w.WriteEndObject();
        }
        w.WriteEndObject();

        w.WriteStartArray("nafs"u8);
        if (r.NafLabel is not null)
        {
            w.WriteStartObject();
            w.WriteString("label"u8, r.NafLabel);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteString("diplomaLevel"u8, m.JobLevelLabel);

        w.WriteStartObject("job"u8);
        w.WriteString("id"u8, m.Id);
        w.WriteString("description"u8, m.JobDescription is { Length: > 50 } d ? d : null);
        w.WriteString("employeurDescription"u8, m.JobEmployerDescription);
        w.WriteString("creationDate"u8, m.JobCreationDate);
        w.WriteString("contractType"u8, string.Join(", ", m.JobType));
        w.WriteString("jobStartDate"u8, m.JobStartDate);
        w.WriteString("jobExpirationDate"u8, m.JobExpirationDate);
        w.WriteNull("romeDetails"u8);
        w.WriteString("rythmeAlternance"u8, m.JobRythm);
        if (m.JobDuration is int months) w.WriteString("dureeContrat"u8, months.ToString(CultureInfo.InvariantCulture));
        else w.WriteNull("dureeContrat"u8);
        w.WriteNumber("quantiteContrat"u8, m.JobCount);
        w.WriteBoolean("elligibleHandicap"u8, m.IsDisabledElligible);
        w.WriteString("status"u8, m.IsActive ? "Active" : "Annulée");
        w.WriteStartArray("type"u8);
        foreach (string type in m.JobType) w.WriteStringValue(type);
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartArray("romes"u8);
        foreach (string code in m.RomeCodes)
        {
            w.WriteStartObject();
            w.WriteString("code"u8, code);
            w.WriteNull("label"u8);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNumber("applicationCount"u8, 0);
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ companies (§2.6)

    public static void WriteCompany(Utf8JsonWriter w, CompanyItem c, double distance, in ItemWriteOptions options)
    {
        string? name = c.Enseigne ?? c.RaisonSociale;
        w.WriteStartObject();
        w.WriteString("ideaType"u8, "lba");
        w.WriteString("id"u8, c.Id);
        w.WriteString("title"u8, name);

        w.WriteStartObject("contact"u8);
        WriteProtectedEmail(w, c.Email, c, options.Protector);
        if (options.ShowCompanyPhone) w.WriteString("phone"u8, c.Phone);
        w.WriteEndObject();

        string address = CompanyAddress(c);
        w.WriteStartObject("place"u8);
        WriteDistance(w, distance);
        w.WriteString("fullAddress"u8, address);
        w.WriteNumber("latitude"u8, c.Latitude);
        w.WriteNumber("longitude"u8, c.Longitude);
        w.WriteString("city"u8, c.City);
        w.WriteString("address"u8, address);
        w.WriteEndObject();

        w.WriteStartObject("company"u8);
        w.WriteString("name"u8, name);
        w.WriteString("siret"u8, c.Id);
        w.WriteString("size"u8, c.CompanySize);
        w.WriteString("url"u8, c.Website);
        w.WriteStartObject("opco"u8);
        w.WriteString("label"u8, c.Opco);
        w.WriteString("url"u8, c.OpcoUrl);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("nafs"u8);
        w.WriteStartObject();
        w.WriteString("code"u8, c.NafCode);
        w.WriteString("label"u8, c.NafLabel);
        w.WriteEndObject();
        w.WriteEndArray();

        w.WriteNumber("applicationCount"u8, 0);
        w.WriteNull("url"u8);
        w.WriteEndObject();
    }

    /// <summary>"{street_number} {street_name}, {zip_code} {city}", missing parts left out (TS).</summary>
    public static string CompanyAddress(CompanyItem c)
    {
        string street = Join2(c.StreetNumber, c.StreetName);
        string town = Join2(c.ZipCode, c.City);
        if (street.Length == 0) return town;
        if (town.Length == 0) return street;
        return string.Concat(street, ", ", town);
    }

    private static void WriteProtectedEmail(Utf8JsonWriter w, string? email, SearchItem owner, IContactProtector protector)
    {
        if (string.IsNullOrEmpty(email))
        {
            w.WriteString("email"u8, "");
            return;
        }
        var (cipher, iv) = protector.Protect(email, string.Concat(owner.Source.FeedName(), "/", owner.Id, "/", owner.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        w.WriteString("email"u8, cipher);
        w.WriteString("iv"u8, iv);
    }

    private static void WriteDistance(Utf8JsonWriter w, double distance)
    {
        if (double.IsNaN(distance)) w.WriteNull("distance"u8);
        else w.WriteNumber("distance"u8, Math.Round(distance, 2, MidpointRounding.AwayFromZero));
    }

    private static string Join2(string? a, string? b) =>
        string.IsNullOrEmpty(a) ? b ?? "" : string.IsNullOrEmpty(b) ? a : string.Concat(a, " ", b);

    private static string Join3(string? a, string? b, string? c) => Join2(Join2(a, b), c);

    private static bool TryParseDate(string? s, out DateTime value) =>
        DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
}
