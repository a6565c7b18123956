using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Alternance.Data;

/// <summary>
/// Turns one feed line (a JSON object, already positioned on its StartObject) into items. One instance per read:
/// it holds the string pool and scratch lists reused from line to line.
/// </summary>
internal abstract class LineParser
{
    protected readonly StringPool Pool = new();
    protected readonly List<string> Scratch = new(8);

    /// <summary>
    /// Reads the object the reader is on. Returns null when the line is accepted (its items appended to
    /// <paramref name="items"/>), otherwise the reason it is refused. Refusals of a part of the line (a recruiter's
    /// job) are appended to <paramref name="partErrors"/> while the rest of the line is kept.
    /// </summary>
    public abstract string? Parse(ref Utf8JsonReader r, List<SearchItem> items, List<string> partErrors);

    public static LineParser For(Source source) => source switch
    {
        Source.Formation => new FormationParser(),
        Source.PeJob => new PeJobParser(),
        Source.Matcha => new RecruiterParser(),
        Source.Company => new CompanyParser(),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>Moves from a PropertyName to its value; unknown properties are skipped whole.</summary>
    protected static void SkipValue(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
    }

    /// <summary>Skips the value the reader is on (a no-op for scalars).</summary>
    protected static void SkipCurrent(ref Utf8JsonReader r)
    {
        if (r.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) r.Skip();
    }

    protected static string? RequireId(string? id, string field) => id is null ? $"missing id ({field})" : null;
}

// Field names below are the feed's JSON names, spelled exactly (snake_case or camelCase as the source has them).
#pragma warning disable IDE1006 // naming: the members mirror JSON property names

internal enum FormationField
{
    cle_ministere_educatif, intitule_long, intitule_court, diplome, niveau, cfd, rncp_code, rncp_intitule,
    rncp_eligible_apprentissage, rome_codes, lieu_formation_geo_coordonnees, lieu_formation_geopoint, lieu_formation_adresse,
    code_postal, code_commune_insee, localite, num_departement, region, etablissement_formateur_siret,
    etablissement_formateur_enseigne, etablissement_formateur_entreprise_raison_sociale, etablissement_formateur_uai,
    etablissement_formateur_cedex, etablissement_gestionnaire_siret, etablissement_gestionnaire_entreprise_raison_sociale,
    etablissement_gestionnaire_uai, num_tel, email, onisep_url, capacite, id_rco_formation, id_formation, date_debut, date_fin,
    objectif, contenu, entierement_a_distance, parcoursup_id,
}

internal sealed class FormationParser : LineParser
{
    private static readonly NameTable<FormationField> Names = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a feed is read once: optimized code from the first line
    public override string? Parse(ref Utf8JsonReader r, List<SearchItem> items, List<string> partErrors)
    {
        string? id = null, intituleLong = null, intituleCourt = null, diplome = null, niveau = null, cfd = null, rncpCode = null,
            rncpIntitule = null, adresse = null, codePostal = null, insee = null, localite = null, numDep = null, region = null,
            fSiret = null, fEnseigne = null, fRaison = null, fUai = null, fCedex = null, gSiret = null, gRaison = null, gUai = null,
            tel = null, email = null, onisep = null, capacite = null, idRco = null, idFormation = null, objectif = null,
            contenu = null, parcoursup = null;
        bool? rncpEligible = null;
        bool distance = false, hasGeo = false, hasPoint = false;
        string[] romes = [], debut = [], fin = [];
        double lat = double.NaN, lon = double.NaN, pLat = double.NaN, pLon = double.NaN;

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!Names.TryFind(ref r, out var f)) { SkipValue(ref r); continue; }
            r.Read();
            switch (f)
            {
                case FormationField.cle_ministere_educatif: id = JsonValues.String(ref r)?.Trim(); break;
                case FormationField.intitule_long: intituleLong = JsonValues.String(ref r, Pool); break;
                case FormationField.intitule_court: intituleCourt = JsonValues.String(ref r, Pool); break;
                case FormationField.diplome: diplome = JsonValues.String(ref r, Pool); break;
                case FormationField.niveau: niveau = JsonValues.String(ref r, Pool); break;
                case FormationField.cfd: cfd = JsonValues.String(ref r, Pool); break;
                case FormationField.rncp_code: rncpCode = JsonValues.String(ref r, Pool); break;
                case FormationField.rncp_intitule: rncpIntitule = JsonValues.String(ref r, Pool); break;
                case FormationField.rncp_eligible_apprentissage: rncpEligible = JsonValues.Bool(ref r); break;
                case FormationField.rome_codes: romes = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case FormationField.lieu_formation_geo_coordonnees: hasGeo = JsonValues.LatLon(ref r, out lat, out lon); break;
                case FormationField.lieu_formation_geopoint: hasPoint = JsonValues.GeoJsonPoint(ref r, out pLat, out pLon); break;
                case FormationField.lieu_formation_adresse: adresse = JsonValues.String(ref r, Pool); break;
                case FormationField.code_postal: codePostal = JsonValues.String(ref r, Pool); break;
                case FormationField.code_commune_insee: insee = JsonValues.String(ref r, Pool); break;
                case FormationField.localite: localite = JsonValues.String(ref r, Pool); break;
                case FormationField.num_departement: numDep = JsonValues.String(ref r, Pool); break;
                case FormationField.region: region = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_formateur_siret: fSiret = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_formateur_enseigne: fEnseigne = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_formateur_entreprise_raison_sociale: fRaison = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_formateur_uai: fUai = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_formateur_cedex: fCedex = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_gestionnaire_siret: gSiret = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_gestionnaire_entreprise_raison_sociale: gRaison = JsonValues.String(ref r, Pool); break;
                case FormationField.etablissement_gestionnaire_uai: gUai = JsonValues.String(ref r, Pool); break;
                case FormationField.num_tel: tel = JsonValues.String(ref r, Pool); break;
                case FormationField.email: email = JsonValues.String(ref r, Pool); break;
                case FormationField.onisep_url: onisep = JsonValues.String(ref r); break;
                case FormationField.capacite: capacite = JsonValues.String(ref r, Pool); break;
                case FormationField.id_rco_formation: idRco = JsonValues.String(ref r); break;
                case FormationField.id_formation: idFormation = JsonValues.String(ref r); break;
                case FormationField.date_debut: debut = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case FormationField.date_fin: fin = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case FormationField.objectif: objectif = JsonValues.String(ref r, Pool); break;
                case FormationField.contenu: contenu = JsonValues.String(ref r, Pool); break;
                case FormationField.entierement_a_distance: distance = JsonValues.Bool(ref r) ?? false; break;
                case FormationField.parcoursup_id: parcoursup = JsonValues.String(ref r); break;
                default: SkipCurrent(ref r); break;
            }
        }

        if (RequireId(id, "cle_ministere_educatif") is { } missing) return missing;
        if (!hasGeo && hasPoint) { hasGeo = true; lat = pLat; lon = pLon; }
        if (JsonValues.CheckCoordinates(hasGeo, lat, lon, "lieu_formation_geo_coordonnees") is { } badGeo) return badGeo;
        if (JsonValues.NormalizeRomes(ref romes, "rome_codes") is { } badRome) return badRome;

        items.Add(new FormationItem
        {
            Id = id!, Latitude = lat, Longitude = lon, RomeCodes = romes,
            IntituleLong = intituleLong, IntituleCourt = intituleCourt, Diplome = diplome, Niveau = niveau, Cfd = cfd,
            RncpCode = rncpCode, RncpIntitule = rncpIntitule, RncpEligibleApprentissage = rncpEligible, Adresse = adresse,
            CodePostal = codePostal, CodeCommuneInsee = insee, Localite = localite, NumDepartement = numDep, Region = region,
            FormateurSiret = fSiret, FormateurEnseigne = fEnseigne, FormateurRaisonSociale = fRaison, FormateurUai = fUai,
            FormateurCedex = fCedex, GestionnaireSiret = gSiret, GestionnaireRaisonSociale = gRaison, GestionnaireUai = gUai,
            Phone = tel, Email = email, OnisepUrl = onisep, Capacite = capacite, IdRcoFormation = idRco, IdFormation = idFormation,
            DateDebut = debut, DateFin = fin, Objectif = objectif, Contenu = contenu, EntierementADistance = distance,
            ParcoursupId = parcoursup,
        });
        return null;
    }
}

internal enum PeJobField
{
    id, intitule, description, dateCreation, lieuTravail, romeCode, appellationlibelle, appellationLibelle, entreprise,
    typeContrat, typeContratLibelle, natureContrat, dureeTravailLibelle, secteurActivite, secteurActiviteLibelle, contact,
    niveauFormation, opco, opcoUrl,
}

internal enum LieuTravailField { libelle, latitude, longitude, codePostal, commune }

internal enum EntrepriseField { nom, description, logo, siret }

internal enum ContactField { nom, courriel }

internal sealed class PeJobParser : LineParser
{
    private static readonly NameTable<PeJobField> Names = new();
    private static readonly NameTable<LieuTravailField> LieuNames = new();
    private static readonly NameTable<EntrepriseField> EntrepriseNames = new();
    private static readonly NameTable<ContactField> ContactNames = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a feed is read once: optimized code from the first line
    public override string? Parse(ref Utf8JsonReader r, List<SearchItem> items, List<string> partErrors)
    {
        string? id = null, intitule = null, description = null, dateCreation = null, libelle = null, codePostal = null, commune = null,
            rome = null, appellation = null, nom = null, entDescription = null, logo = null, siret = null, typeContrat = null,
            typeContratLibelle = null, nature = null, duree = null, secteur = null, secteurLibelle = null, contactNom = null,
            courriel = null, niveau = null, opco = null, opcoUrl = null;
        double lat = double.NaN, lon = double.NaN;
        bool hasLat = false, hasLon = false;

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!Names.TryFind(ref r, out var f)) { SkipValue(ref r); continue; }
            r.Read();
            switch (f)
            {
                case PeJobField.id: id = JsonValues.String(ref r)?.Trim(); break;
                case PeJobField.intitule: intitule = JsonValues.String(ref r, Pool); break;
                case PeJobField.description: description = JsonValues.String(ref r); break;
                case PeJobField.dateCreation: dateCreation = JsonValues.String(ref r); break;
                case PeJobField.romeCode: rome = JsonValues.String(ref r, Pool); break;
                case PeJobField.appellationlibelle or PeJobField.appellationLibelle: appellation = JsonValues.String(ref r, Pool); break;
                case PeJobField.typeContrat: typeContrat = JsonValues.String(ref r, Pool); break;
                case PeJobField.typeContratLibelle: typeContratLibelle = JsonValues.String(ref r, Pool); break;
                case PeJobField.natureContrat: nature = JsonValues.String(ref r, Pool); break;
                case PeJobField.dureeTravailLibelle: duree = JsonValues.String(ref r, Pool); break;
                case PeJobField.secteurActivite: secteur = JsonValues.String(ref r, Pool); break;
                case PeJobField.secteurActiviteLibelle: secteurLibelle = JsonValues.String(ref r, Pool); break;
                case PeJobField.niveauFormation: niveau = JsonValues.String(ref r, Pool); break;
                case PeJobField.opco: opco = JsonValues.String(ref r, Pool); break;
                case PeJobField.opcoUrl: opcoUrl = JsonValues.String(ref r, Pool); break;
                case PeJobField.lieuTravail:
                    if (r.TokenType != JsonTokenType.StartObject) { if (r.TokenType == JsonTokenType.StartArray) r.Skip(); break; }
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (!LieuNames.TryFind(ref r, out var lf)) { SkipValue(ref r); continue; }
                        r.Read();
                        switch (lf)
                        {
                            case LieuTravailField.libelle: libelle = JsonValues.String(ref r, Pool); break;
                            case LieuTravailField.latitude: lat = JsonValues.Double(ref r); hasLat = r.TokenType != JsonTokenType.Null; break;
                            case LieuTravailField.longitude: lon = JsonValues.Double(ref r); hasLon = r.TokenType != JsonTokenType.Null; break;
                            case LieuTravailField.codePostal: codePostal = JsonValues.String(ref r, Pool); break;
                            case LieuTravailField.commune: commune = JsonValues.String(ref r, Pool); break;
                        }
                    }
                    break;
                case PeJobField.entreprise:
                    if (r.TokenType != JsonTokenType.StartObject) { if (r.TokenType == JsonTokenType.StartArray) r.Skip(); break; }
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (!EntrepriseNames.TryFind(ref r, out var ef)) { SkipValue(ref r); continue; }
                        r.Read();
                        switch (ef)
                        {
                            case EntrepriseField.nom: nom = JsonValues.String(ref r, Pool); break;
                            case EntrepriseField.description: entDescription = JsonValues.String(ref r, Pool); break;
                            case EntrepriseField.logo: logo = JsonValues.String(ref r, Pool); break;
                            case EntrepriseField.siret: siret = JsonValues.String(ref r, Pool); break;
                        }
                    }
                    break;
                case PeJobField.contact:
                    if (r.TokenType != JsonTokenType.StartObject) { if (r.TokenType == JsonTokenType.StartArray) r.Skip(); break; }
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (!ContactNames.TryFind(ref r, out var cf)) { SkipValue(ref r); continue; }
                        r.Read();
                        if (cf == ContactField.nom) contactNom = JsonValues.String(ref r, Pool);
                        else courriel = JsonValues.String(ref r, Pool);
                    }
                    break;
                default: SkipCurrent(ref r); break;
            }
        }

        if (RequireId(id, "id") is { } missing) return missing;
        if (JsonValues.CheckCoordinates(hasLat && hasLon, lat, lon, "lieuTravail.latitude/longitude") is { } badGeo) return badGeo;
        string[] romes = rome is null ? [] : [rome];
        if (JsonValues.NormalizeRomes(ref romes, "romeCode") is { } badRome) return badRome;

        items.Add(new PeJobItem
        {
            Id = id!, Latitude = lat, Longitude = lon, RomeCodes = romes,
            Intitule = intitule, Description = description, DateCreation = dateCreation, LieuLibelle = libelle, CodePostal = codePostal,
            CommuneInsee = commune, AppellationLibelle = appellation, EntrepriseNom = nom, EntrepriseDescription = entDescription,
            EntrepriseLogo = logo, EntrepriseSiret = siret, TypeContrat = typeContrat, TypeContratLibelle = typeContratLibelle,
            NatureContrat = nature, DureeTravailLibelle = duree, SecteurActivite = secteur, SecteurActiviteLibelle = secteurLibelle,
            ContactNom = contactNom, ContactCourriel = courriel, NiveauFormation = NormalizeNiveau(niveau), Opco = opco, OpcoUrl = opcoUrl,
        });
        return null;
    }

    // NV1..NV5 (any case); anything else means "no stated level".
    private static string? NormalizeNiveau(string? niveau) => niveau?.Trim().ToUpperInvariant() switch
    {
        "NV1" => "NV1", "NV2" => "NV2", "NV3" => "NV3", "NV4" => "NV4", "NV5" => "NV5",
        _ => null,
    };
}

internal enum RecruiterField
{
    _id, establishment_id, establishment_raison_sociale, establishment_enseigne, establishment_siret, address_detail, address,
    geo_coordinates, geopoint, is_delegated, cfa_delegated_siret, first_name, last_name, phone, email, origin, opco, opco_url,
    idcc, status, naf_code, naf_label, establishment_size, establishment_creation_date, managed_by, jobs, establishment_location,
}

internal enum AddressDetailField { localite, libelle_commune, code_postal }

internal enum JobField
{
    _id, rome_label, rome_appellation_label, rome_code, job_level_label, job_start_date, job_description,
    job_employer_description, job_creation_date, job_expiration_date, job_update_date, job_prolongation_count, job_status,
    job_type, is_multi_published, is_disabled_elligible, job_count, job_duration, job_rythm, custom_address, custom_job_title,
}

internal sealed class RecruiterParser : LineParser
{
    private static readonly NameTable<RecruiterField> Names = new();
    private static readonly NameTable<AddressDetailField> AddressNames = new();
    private static readonly NameTable<JobField> JobNames = new();

    // One recruiter's jobs, read before the recruiter fields may be known (property order is free); reused per line.
    private readonly List<Job> _jobs = new(8);

    private sealed class Job
    {
        public string? Id, RomeLabel, AppellationLabel, LevelLabel, StartDate, Description, EmployerDescription, CreationDate,
            ExpirationDate, UpdateDate, Status, Rythm, CustomAddress, CustomTitle;
        public string[] Romes = [], Types = [];
        public int ProlongationCount, Count = 1;
        public int? Duration;
        public bool MultiPublished = true, DisabledElligible;
        public string? Error;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a feed is read once: optimized code from the first line
    public override string? Parse(ref Utf8JsonReader r, List<SearchItem> items, List<string> partErrors)
    {
        string? id = null, raison = null, enseigne = null, siret = null, address = null, city = null, location = null, cfaSiret = null,
            firstName = null, lastName = null, phone = null, email = null, origin = null, opco = null, opcoUrl = null, idcc = null,
            status = null, nafCode = null, nafLabel = null, size = null, creationDate = null, managedBy = null, zip = null;
        bool delegated = false, hasGeo = false, hasPoint = false;
        double lat = double.NaN, lon = double.NaN, pLat = double.NaN, pLon = double.NaN;
        int jobCount = 0;

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!Names.TryFind(ref r, out var f)) { SkipValue(ref r); continue; }
            r.Read();
            switch (f)
            {
                case RecruiterField._id: SkipCurrent(ref r); break; // the Mongo id of the document; jobs have their own
                case RecruiterField.establishment_id: id = JsonValues.String(ref r)?.Trim(); break;
                case RecruiterField.establishment_raison_sociale: raison = JsonValues.String(ref r); break;
                case RecruiterField.establishment_enseigne: enseigne = JsonValues.String(ref r); break;
                case RecruiterField.establishment_siret: siret = JsonValues.String(ref r); break;
                case RecruiterField.address: address = JsonValues.String(ref r); break;
                case RecruiterField.establishment_location: location = JsonValues.String(ref r, Pool); break;
                case RecruiterField.geo_coordinates: hasGeo = JsonValues.LatLon(ref r, out lat, out lon); break;
                case RecruiterField.geopoint: hasPoint = JsonValues.GeoJsonPoint(ref r, out pLat, out pLon); break;
                case RecruiterField.is_delegated: delegated = JsonValues.Bool(ref r) ?? false; break;
                case RecruiterField.cfa_delegated_siret: cfaSiret = JsonValues.String(ref r, Pool); break;
                case RecruiterField.first_name: firstName = JsonValues.String(ref r, Pool); break;
                case RecruiterField.last_name: lastName = JsonValues.String(ref r, Pool); break;
                case RecruiterField.phone: phone = JsonValues.String(ref r); break;
                case RecruiterField.email: email = JsonValues.String(ref r); break;
                case RecruiterField.origin: origin = JsonValues.String(ref r, Pool); break;
                case RecruiterField.opco: opco = JsonValues.String(ref r, Pool); break;
                case RecruiterField.opco_url: opcoUrl = JsonValues.String(ref r, Pool); break;
                case RecruiterField.idcc: idcc = JsonValues.String(ref r, Pool); break;
                case RecruiterField.status: status = JsonValues.String(ref r, Pool); break;
                case RecruiterField.naf_code: nafCode = JsonValues.String(ref r, Pool); break;
                case RecruiterField.naf_label: nafLabel = JsonValues.String(ref r, Pool); break;
                case RecruiterField.establishment_size: size = JsonValues.String(ref r, Pool); break;
                case RecruiterField.establishment_creation_date: creationDate = JsonValues.String(ref r, Pool); break;
                case RecruiterField.managed_by: managedBy = JsonValues.String(ref r, Pool); break;
                case RecruiterField.address_detail:
                    if (r.TokenType != JsonTokenType.StartObject) { if (r.TokenType == JsonTokenType.StartArray) r.Skip(); break; }
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        if (!AddressNames.TryFind(ref r, out var af)) { SkipValue(ref r); continue; }
                        r.Read();
                        var v = JsonValues.String(ref r, Pool);
                        if (af == AddressDetailField.code_postal) zip = v ?? zip;
                        else if (af == AddressDetailField.localite || city is null) city = v ?? city;
                    }
                    break;
                case RecruiterField.jobs:
                    if (r.TokenType != JsonTokenType.StartArray) { if (r.TokenType == JsonTokenType.StartObject) r.Skip(); break; }
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        if (r.TokenType != JsonTokenType.StartObject)
                        {
                            if (r.TokenType == JsonTokenType.StartArray) r.Skip();
                            NextJob(jobCount++).Error = "not a JSON object";
                            continue;
                        }
                        ReadJob(ref r, NextJob(jobCount++));
                    }
                    break;
                default: SkipCurrent(ref r); break;
            }
        }

        if (RequireId(id, "establishment_id") is { } missing) return missing;
        if (!hasGeo && hasPoint) { hasGeo = true; lat = pLat; lon = pLon; }
        if (JsonValues.CheckCoordinates(hasGeo, lat, lon, "geo_coordinates") is { } badGeo) return badGeo;

        RecruiterInfo? recruiter = null;
        for (int i = 0; i < jobCount; i++)
        {
            var job = _jobs[i];
            if (job.Error is null && job.Id is null) job.Error = "missing id (_id)";
            if (job.Error is null) job.Error = JsonValues.NormalizeRomes(ref job.Romes, "rome_code");
            if (job.Error is not null)
            {
                partErrors.Add($"jobs[{i}]{(job.Id is null ? "" : $" ({job.Id})")}: {job.Error}");
                continue;
            }
            recruiter ??= new RecruiterInfo
            {
                EstablishmentId = id!, Siret = siret, RaisonSociale = raison, Enseigne = enseigne, Address = address,
                City = city ?? location, Latitude = lat, Longitude = lon, FirstName = firstName, LastName = lastName, Phone = phone,
                Email = email, Opco = opco, OpcoUrl = opcoUrl, Idcc = idcc, NafCode = nafCode, NafLabel = nafLabel,
                EstablishmentSize = size, EstablishmentCreationDate = creationDate, IsDelegated = delegated,
                CfaDelegatedSiret = cfaSiret, Status = status ?? "Actif", Origin = origin, ManagedBy = managedBy,
                ZipCode = zip ?? PostalCodes.FromAddress(address),
            };
            items.Add(new MatchaItem
            {
                Id = job.Id!, Latitude = lat, Longitude = lon, RomeCodes = job.Romes, Recruiter = recruiter,
                RomeLabel = job.RomeLabel, RomeAppellationLabel = job.AppellationLabel, JobLevelLabel = job.LevelLabel,
                JobStartDate = job.StartDate, JobDescription = job.Description, JobEmployerDescription = job.EmployerDescription,
                JobCreationDate = job.CreationDate, JobExpirationDate = job.ExpirationDate, JobUpdateDate = job.UpdateDate,
                JobStatus = job.Status ?? "Active", JobType = job.Types, IsMultiPublished = job.MultiPublished,
                IsDisabledElligible = job.DisabledElligible, JobCount = job.Count, JobDuration = job.Duration, JobRythm = job.Rythm,
                CustomAddress = job.CustomAddress, CustomJobTitle = job.CustomTitle, JobProlongationCount = job.ProlongationCount,
            });
        }
        return null;
    }

    private Job NextJob(int index)
    {
        if (index == _jobs.Count) _jobs.Add(new Job());
        var job = _jobs[index];
        job.Id = job.RomeLabel = job.AppellationLabel = job.LevelLabel = job.StartDate = job.Description = job.EmployerDescription =
            job.CreationDate = job.ExpirationDate = job.UpdateDate = job.Status = job.Rythm = job.CustomAddress = job.CustomTitle =
            job.Error = null;
        job.Romes = job.Types = [];
        job.ProlongationCount = 0;
        job.Count = 1;
        job.Duration = null;
        job.MultiPublished = true;
        job.DisabledElligible = false;
        return job;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a feed is read once: optimized code from the first line
    private void ReadJob(ref Utf8JsonReader r, Job job)
    {
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!JobNames.TryFind(ref r, out var f)) { SkipValue(ref r); continue; }
            r.Read();
            switch (f)
            {
                case JobField._id: job.Id = JsonValues.String(ref r)?.Trim(); break;
                case JobField.rome_label: job.RomeLabel = JsonValues.String(ref r, Pool); break;
                case JobField.rome_appellation_label: job.AppellationLabel = JsonValues.String(ref r, Pool); break;
                case JobField.rome_code: job.Romes = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case JobField.job_level_label: job.LevelLabel = JsonValues.String(ref r, Pool); break;
                case JobField.job_start_date: job.StartDate = JsonValues.String(ref r, Pool); break;
                case JobField.job_description: job.Description = JsonValues.String(ref r); break;
                case JobField.job_employer_description: job.EmployerDescription = JsonValues.String(ref r); break;
                case JobField.job_creation_date: job.CreationDate = JsonValues.String(ref r, Pool); break;
                case JobField.job_expiration_date: job.ExpirationDate = JsonValues.String(ref r, Pool); break;
                case JobField.job_update_date: job.UpdateDate = JsonValues.String(ref r, Pool); break;
                case JobField.job_prolongation_count: job.ProlongationCount = JsonValues.Int(ref r) ?? 0; break;
                case JobField.job_status: job.Status = JsonValues.String(ref r, Pool); break;
                case JobField.job_type: job.Types = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case JobField.is_multi_published: job.MultiPublished = JsonValues.Bool(ref r) ?? true; break;
                case JobField.is_disabled_elligible: job.DisabledElligible = JsonValues.Bool(ref r) ?? false; break;
                case JobField.job_count: job.Count = JsonValues.Int(ref r) ?? 1; break;
                case JobField.job_duration: job.Duration = JsonValues.Int(ref r); break;
                case JobField.job_rythm: job.Rythm = JsonValues.String(ref r, Pool); break;
                case JobField.custom_address: job.CustomAddress = JsonValues.String(ref r); break;
                case JobField.custom_job_title: job.CustomTitle = JsonValues.String(ref r); break;
                default: SkipCurrent(ref r); break;
            }
        }
    }
}

internal enum CompanyField
{
    siret, raison_sociale, enseigne, naf_code, naf_label, rome_codes, street_number, street_name, insee_city_code, zip_code,
    city, geo_coordinates, geopoint, email, phone, company_size, website, opco, opco_short_name, opco_url, recruitment_potential,
}

internal sealed class CompanyParser : LineParser
{
    private static readonly NameTable<CompanyField> Names = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a feed is read once: optimized code from the first line
    public override string? Parse(ref Utf8JsonReader r, List<SearchItem> items, List<string> partErrors)
    {
        string? siret = null, raison = null, enseigne = null, nafCode = null, nafLabel = null, number = null, street = null, insee = null,
            zip = null, city = null, email = null, phone = null, size = null, website = null, opco = null, opcoShort = null, opcoUrl = null;
        string[] romes = [];
        double lat = double.NaN, lon = double.NaN, pLat = double.NaN, pLon = double.NaN, potential = 0;
        bool hasGeo = false, hasPoint = false;

        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (!Names.TryFind(ref r, out var f)) { SkipValue(ref r); continue; }
            r.Read();
            switch (f)
            {
                case CompanyField.siret: siret = JsonValues.String(ref r)?.Trim(); break;
                case CompanyField.raison_sociale: raison = JsonValues.String(ref r); break;
                case CompanyField.enseigne: enseigne = JsonValues.String(ref r); break;
                case CompanyField.naf_code: nafCode = JsonValues.String(ref r, Pool); break;
                case CompanyField.naf_label: nafLabel = JsonValues.String(ref r, Pool); break;
                case CompanyField.rome_codes: romes = JsonValues.StringArray(ref r, Scratch, Pool); break;
                case CompanyField.street_number: number = JsonValues.String(ref r, Pool); break;
                case CompanyField.street_name: street = JsonValues.String(ref r, Pool); break;
                case CompanyField.insee_city_code: insee = JsonValues.String(ref r, Pool); break;
                case CompanyField.zip_code: zip = JsonValues.String(ref r, Pool); break;
                case CompanyField.city: city = JsonValues.String(ref r, Pool); break;
                case CompanyField.geo_coordinates: hasGeo = JsonValues.LatLon(ref r, out lat, out lon); break;
                case CompanyField.geopoint: hasPoint = JsonValues.GeoJsonPoint(ref r, out pLat, out pLon); break;
                case CompanyField.email: email = JsonValues.String(ref r); break;
                case CompanyField.phone: phone = JsonValues.String(ref r); break;
                case CompanyField.company_size: size = JsonValues.String(ref r, Pool); break;
                case CompanyField.website: website = JsonValues.String(ref r); break;
                case CompanyField.opco: opco = JsonValues.String(ref r, Pool); break;
                case CompanyField.opco_short_name: opcoShort = JsonValues.String(ref r, Pool); break;
                case CompanyField.opco_url: opcoUrl = JsonValues.String(ref r, Pool); break;
                case CompanyField.recruitment_potential: potential = JsonValues.Double(ref r); break;
                default: SkipCurrent(ref r); break;
            }
        }

        if (RequireId(siret, "siret") is { } missing) return missing;
        if (!Siret.HasShape(siret)) return $"siret '{siret}' is not 14 digits";
        if (!hasGeo && hasPoint) { hasGeo = true; lat = pLat; lon = pLon; }
        if (JsonValues.CheckCoordinates(hasGeo, lat, lon, "geo_coordinates") is { } badGeo) return badGeo;
        if (JsonValues.NormalizeRomes(ref romes, "rome_codes") is { } badRome) return badRome;

        items.Add(new CompanyItem
        {
            Id = siret!, Latitude = lat, Longitude = lon, RomeCodes = romes,
            RaisonSociale = raison, Enseigne = enseigne, NafCode = nafCode, NafLabel = nafLabel, StreetNumber = number,
            StreetName = street, InseeCityCode = insee, ZipCode = zip, City = city, Email = email, Phone = phone, CompanySize = size,
            Website = website, Opco = opco, OpcoShortName = opcoShort?.ToUpperInvariant(), OpcoUrl = opcoUrl,
            RecruitmentPotential = double.IsFinite(potential) ? potential : 0,
        });
        return null;
    }
}
