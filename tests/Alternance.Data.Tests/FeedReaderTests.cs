using System.IO.Compression;
using System.Text;

namespace Alternance.Data.Tests;

public sealed class FeedReaderTests
{
    private const string Formation = """
        {"cle_ministere_educatif":"101249P01313538697790003635386977900036-93006#L01","intitule_long":"MONTEUR EN INSTALLATIONS THERMIQUES (CAP)","intitule_court":"MONTEUR EN INSTALLATIONS THERMIQUES","diplome":"CERTIFICAT D'APTITUDES PROFESSIONNELLES","niveau":"3 (CAP...)","cfd":"50023324","rncp_code":"RNCP31899","rncp_intitule":"Monteur en installations thermiques","rncp_eligible_apprentissage":true,"rome_codes":["f1603","I1308","F1603"],"lieu_formation_geo_coordonnees":"48.845,2.3752","lieu_formation_adresse":"4 RUE DES ROSIERS","code_postal":"75004","code_commune_insee":"75104","localite":"Paris","num_departement":"75","region":"Île-de-France","etablissement_formateur_siret":"78424186100011","etablissement_formateur_enseigne":"ECOLE ORT","etablissement_formateur_entreprise_raison_sociale":"ECOLE DE TRAVAIL ORT","etablissement_formateur_uai":"0754321X","etablissement_gestionnaire_siret":"78424186100029","etablissement_gestionnaire_entreprise_raison_sociale":"ORT FRANCE","num_tel":"01 44 00 00 00","email":"cfa@ort.fr","onisep_url":"http://www.onisep.fr/http/redirection/formation/identifiant/7872","capacite":15,"id_rco_formation":"01_GE106573|01_GE339324|101249","id_formation":"01_GE106573","date_debut":["2024-09-02T00:00:00.000Z"],"date_fin":["2026-06-30T00:00:00.000Z"],"objectif":"Former","contenu":"Cours","entierement_a_distance":false,"parcoursup_id":"12345","unknown_field":{"nested":[1,2,{"x":"y"}]},"tags":["2024","2025"]}
        """;

    [Theory]
    [InlineData("12 RUE DE LA REPUBLIQUE 69003 LYON", "69003")]
    [InlineData("75001 PARIS", "75001")]
    [InlineData("BP 12345, 2 AVENUE X 13100 AIX-EN-PROVENCE CEDEX 1", "13100")]
    [InlineData("LIEU-DIT 123456 NULLE PART", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_postal_code_is_read_from_an_address_when_the_feed_gives_none(string? address, string? expected) =>
        Assert.Equal(expected, PostalCodes.FromAddress(address));

    [Fact]
    public async Task A_formation_line_gives_an_item_with_every_field()
    {
        var (items, report) = await Shared.Read(Formation, Source.Formation);
        Assert.Equal(new FeedReport(1, 1, 0, []), report with { Errors = [] });
        Assert.Empty(report.Errors);
        var f = Assert.IsType<FormationItem>(Assert.Single(items));
        Assert.Equal("101249P01313538697790003635386977900036-93006#L01", f.Id);
        Assert.Equal(48.845, f.Latitude);
        Assert.Equal(2.3752, f.Longitude);
        Assert.Equal(["F1603", "I1308"], f.RomeCodes); // upper-cased, de-duplicated, order kept
        Assert.Equal("MONTEUR EN INSTALLATIONS THERMIQUES (CAP)", f.IntituleLong);
        Assert.Equal("MONTEUR EN INSTALLATIONS THERMIQUES", f.IntituleCourt);
        Assert.Equal("CERTIFICAT D'APTITUDES PROFESSIONNELLES", f.Diplome);
        Assert.Equal("3 (CAP...)", f.Niveau);
        Assert.Equal(3, f.DiplomaLevel);
        Assert.Equal("50023324", f.Cfd);
        Assert.Equal("RNCP31899", f.RncpCode);
        Assert.Equal("Monteur en installations thermiques", f.RncpIntitule);
        Assert.True(f.RncpEligibleApprentissage);
        Assert.Equal("4 RUE DES ROSIERS", f.Adresse);
        Assert.Equal("75004", f.CodePostal);
        Assert.Equal("75104", f.CodeCommuneInsee);
        Assert.Equal("Paris", f.Localite);
        Assert.Equal("75", f.NumDepartement);
        Assert.Equal("Île-de-France", f.Region);
        Assert.Equal("78424186100011", f.FormateurSiret);
        Assert.Equal("ECOLE ORT", f.FormateurEnseigne);
        Assert.Equal("ECOLE DE TRAVAIL ORT", f.FormateurRaisonSociale);
        Assert.Equal("0754321X", f.FormateurUai);
        Assert.Equal("78424186100029", f.GestionnaireSiret);
        Assert.Equal("ORT FRANCE", f.GestionnaireRaisonSociale);
        Assert.Equal("01 44 00 00 00", f.Phone);
        Assert.Equal("cfa@ort.fr", f.Email);
        Assert.Equal("15", f.Capacite); // a number where a string is expected is kept as its text
        Assert.Equal("01_GE106573|01_GE339324|101249", f.IdRcoFormation);
        Assert.Equal("01_GE106573", f.IdFormation);
        Assert.Equal(["2024-09-02T00:00:00.000Z"], f.DateDebut);
        Assert.Equal(["2026-06-30T00:00:00.000Z"], f.DateFin);
        Assert.Equal("Former", f.Objectif);
        Assert.Equal("Cours", f.Contenu);
        Assert.False(f.EntierementADistance);
        Assert.Equal("12345", f.ParcoursupId);
    }

    [Fact]
    public async Task Bad_formation_lines_are_reported_with_line_numbers_and_the_rest_is_read()
    {
        string[] lines =
        [
            """{"cle_ministere_educatif":"ok-1","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"45.75,4.85"}""",
            """{"cle_ministere_educatif":"broken","rome_codes":["D1102"],""",
            "",
            """{"intitule_long":"no id","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"45.75,4.85"}""",
            """{"cle_ministere_educatif":"  ","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"45.75,4.85"}""",
            """{"cle_ministere_educatif":"no-geo","rome_codes":["D1102"]}""",
            """{"cle_ministere_educatif":"bad-lat","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"95.1,4.85"}""",
            """{"cle_ministere_educatif":"bad-lon","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"45.1,-190"}""",
            """{"cle_ministere_educatif":"nan","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"NaN,4.85"}""",
            """{"cle_ministere_educatif":"text-geo","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"quarante,cinq"}""",
            """{"cle_ministere_educatif":"no-rome","rome_codes":[],"lieu_formation_geo_coordonnees":"45.75,4.85"}""",
            """{"cle_ministere_educatif":"bad-rome","rome_codes":["D1102","D11"],"lieu_formation_geo_coordonnees":"45.75,4.85"}""",
            """["an","array"]""",
            """{"cle_ministere_educatif":"trailing","rome_codes":["D1102"],"lieu_formation_geo_coordonnees":"45.75,4.85"} x""",
            """{"cle_ministere_educatif":"ok-2","rome_codes":"d1102, d1104","lieu_formation_geo_coordonnees":" 45.75 , 4.85 "}""",
        ];
        var (items, report) = await Shared.Read(string.Join("\n", lines), Source.Formation);

        Assert.Equal(["ok-1", "ok-2"], items.Select(i => i.Id));
        Assert.Equal(["D1102", "D1104"], items[1].RomeCodes);
        Assert.Equal(14, report.Lines); // the blank line is not a document
        Assert.Equal(2, report.Items);
        Assert.Equal(12, report.Rejected);
        Assert.Equal([2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], report.Errors.Select(e => (int)e.Line));
        string Reason(int line) => report.Errors.Single(e => e.Line == line).Reason;
        Assert.StartsWith("invalid JSON", Reason(2));
        Assert.Equal("missing id (cle_ministere_educatif)", Reason(4));
        Assert.Equal("missing id (cle_ministere_educatif)", Reason(5));
        Assert.Equal("missing coordinates (lieu_formation_geo_coordonnees)", Reason(6));
        Assert.Contains("latitude 95.1 out of range", Reason(7));
        Assert.Contains("longitude -190 out of range", Reason(8));
        Assert.Contains("unreadable coordinates", Reason(9));
        Assert.Contains("unreadable coordinates", Reason(10));
        Assert.Equal("no ROME code (rome_codes)", Reason(11));
        Assert.Equal("malformed ROME code 'D11' (rome_codes)", Reason(12));
        Assert.StartsWith("not a JSON object", Reason(13));
        Assert.StartsWith("invalid JSON", Reason(14));
    }

    [Fact]
    public async Task A_pejob_line_gives_an_item_with_every_field()
    {
        const string line = """
            {"id":"106ZWVB","intitule":"Monteur / Monteuse en chauffage (H/F)","description":"Poste \"clé\"\nà pourvoir","dateCreation":"2024-05-02T10:00:00.000Z","lieuTravail":{"libelle":"75 - Paris 11e","latitude":48.85,"longitude":"2.38","codePostal":"75011","commune":"75111"},"romeCode":"f1603","appellationlibelle":"Monteur / Monteuse en chauffage","entreprise":{"nom":"CHAUFFAGE SA","description":"PME","logo":"https://x/logo.png","siret":"78424186100011","entrepriseAdaptee":false},"typeContrat":"CDD","typeContratLibelle":"Contrat à durée déterminée - 24 Mois","natureContrat":"Contrat apprentissage","dureeTravailLibelle":"35H Horaires normaux","secteurActivite":"43","secteurActiviteLibelle":"Travaux d'installation","contact":{"nom":"CHAUFFAGE SA - Mme Martin","courriel":"rh@chauffage.fr","coordonnees1":"x"},"niveauFormation":"nv4","salaire":{"libelle":"Mensuel"}}
            """;
        var (items, report) = await Shared.Read(line, Source.PeJob);
        Assert.Equal(0, report.Rejected);
        var p = Assert.IsType<PeJobItem>(Assert.Single(items));
        Assert.Equal("106ZWVB", p.Id);
        Assert.Equal(48.85, p.Latitude);
        Assert.Equal(2.38, p.Longitude);
        Assert.Equal(["F1603"], p.RomeCodes);
        Assert.Equal("Monteur / Monteuse en chauffage (H/F)", p.Intitule);
        Assert.Equal("Poste \"clé\"\nà pourvoir", p.Description);
        Assert.Equal("2024-05-02T10:00:00.000Z", p.DateCreation);
        Assert.Equal("75 - Paris 11e", p.LieuLibelle);
        Assert.Equal("75011", p.CodePostal);
        Assert.Equal("75111", p.CommuneInsee);
        Assert.Equal("Monteur / Monteuse en chauffage", p.AppellationLibelle);
        Assert.Equal("CHAUFFAGE SA", p.EntrepriseNom);
        Assert.Equal("PME", p.EntrepriseDescription);
        Assert.Equal("https://x/logo.png", p.EntrepriseLogo);
        Assert.Equal("78424186100011", p.EntrepriseSiret);
        Assert.Equal("CDD", p.TypeContrat);
        Assert.Equal("Contrat à durée déterminée - 24 Mois", p.TypeContratLibelle);
        Assert.Equal("Contrat apprentissage", p.NatureContrat);
        Assert.Equal("35H Horaires normaux", p.DureeTravailLibelle);
        Assert.Equal("43", p.SecteurActivite);
        Assert.Equal("Travaux d'installation", p.SecteurActiviteLibelle);
        Assert.Equal("CHAUFFAGE SA - Mme Martin", p.ContactNom);
        Assert.Equal("rh@chauffage.fr", p.ContactCourriel);
        Assert.Equal("NV4", p.NiveauFormation);
    }

    [Fact]
    public async Task Bad_pejob_lines_are_reported()
    {
        string[] lines =
        [
            """{"id":"A1","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""",
            """{"id":"A2","romeCode":"M1805","lieuTravail":{"libelle":"no coordinates"}}""",
            """{"id":"A3","lieuTravail":{"latitude":43.6,"longitude":1.44}}""",
            """{"romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""",
            """{"id":"A5","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":null}}""",
            """{"id":"A6","romeCode":"M18050","lieuTravail":{"latitude":43.6,"longitude":1.44},"niveauFormation":"NV9"}""",
            """{"id":"A7","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44},"niveauFormation":"NV9"}""",
        ];
        var (items, report) = await Shared.Read(string.Join("\r\n", lines) + "\r\n", Source.PeJob);
        Assert.Equal(["A1", "A7"], items.Select(i => i.Id));
        Assert.Null(((PeJobItem)items[1]).NiveauFormation); // an unknown level is "no level"
        Assert.Equal([2, 3, 4, 5, 6], report.Errors.Select(e => (int)e.Line));
        Assert.Equal("missing coordinates (lieuTravail.latitude/longitude)", report.Errors[0].Reason);
        Assert.Equal("no ROME code (romeCode)", report.Errors[1].Reason);
        Assert.Equal("missing id (id)", report.Errors[2].Reason);
        Assert.Equal("missing coordinates (lieuTravail.latitude/longitude)", report.Errors[3].Reason);
        Assert.Equal("malformed ROME code 'M18050' (romeCode)", report.Errors[4].Reason);
    }

    private const string Recruiter = """
        {"_id":{"$oid":"65a1b2c3d4e5f60718293a4b"},"establishment_id":"2f1c6a4e-8b0e-4f5c-9a77-0c3e5d1f2a3b","establishment_raison_sociale":"BOULANGERIE MARTIN SARL","establishment_enseigne":"AU BON PAIN","establishment_siret":"78424186100011","address_detail":{"numero_voie":"12","localite":"Lyon","code_postal":"69003"},"address":"12 RUE DE LA REPUBLIQUE 69003 LYON","geo_coordinates":"45.7601,4.8590","geopoint":{"type":"Point","coordinates":[4.859,45.7601]},"is_delegated":true,"cfa_delegated_siret":"19690000000017","first_name":"Marie","last_name":"Martin","phone":"0601020304","email":"marie@bonpain.fr","origin":"akto-widget","opco":"AKTO / Opco entreprises et salariés des services à forte intensité de main d'oeuvre","idcc":"843","status":"Actif","naf_code":"10.71C","naf_label":"Boulangerie et boulangerie-pâtisserie","establishment_size":"3 à 5 salariés","establishment_creation_date":{"$date":"2001-03-01T00:00:00.000Z"},"managed_by":"65a1b2c3d4e5f60718290000","createdAt":{"$date":{"$numberLong":"1704067200000"}},"jobs":[
        {"_id":{"$oid":"65a1b2c3d4e5f60718293a4c"},"rome_label":"Boulanger / Boulangère","rome_appellation_label":"Boulanger / Boulangère","rome_code":["D1102"],"rome_detail":{"definition":"..."},"job_level_label":"Cap, autres formations niveau (Infrabac)","job_start_date":"2026-09-01T00:00:00.000Z","job_description":"Apprendre le métier de boulanger dans une boutique de quartier.","job_employer_description":"Boulangerie artisanale","job_creation_date":{"$date":"2026-06-01T08:00:00.000Z"},"job_expiration_date":"2026-08-01T08:00:00.000Z","job_update_date":"2026-06-02T08:00:00.000Z","job_prolongation_count":0,"job_status":"Active","job_type":["Apprentissage","Professionnalisation"],"is_multi_published":false,"is_disabled_elligible":true,"job_count":2,"job_duration":24,"job_rythm":"2 jours / 3 jours","custom_address":"Marché couvert","custom_job_title":"Apprenti boulanger","delegations":[{"siret_code":"1","email":"x@y"}]},
        {"_id":"65a1b2c3d4e5f60718293a4d","rome_code":["d1104"],"job_status":"Pourvue"},
        {"_id":"65a1b2c3d4e5f60718293a4e","rome_code":[]},
        {"rome_code":["D1102"]},
        {"_id":"65a1b2c3d4e5f60718293a4f","rome_code":["D1102"],"job_status":"Annulée"}]}
        """;

    [Fact]
    public async Task A_recruiter_line_gives_one_item_per_good_job_sharing_one_recruiter()
    {
        var (items, report) = await Shared.Read(Recruiter.Replace("\n", ""), Source.Matcha);
        Assert.Equal(1, report.Lines);
        Assert.Equal(3, report.Items);
        Assert.Equal(2, report.Rejected); // two bad jobs; the line's other jobs are kept
        Assert.Equal([1, 1], report.Errors.Select(e => (int)e.Line));
        Assert.Equal("jobs[2] (65a1b2c3d4e5f60718293a4e): no ROME code (rome_code)", report.Errors[0].Reason);
        Assert.Equal("jobs[3]: missing id (_id)", report.Errors[1].Reason);

        var jobs = items.Cast<MatchaItem>().ToList();
        Assert.Equal(["65a1b2c3d4e5f60718293a4c", "65a1b2c3d4e5f60718293a4d", "65a1b2c3d4e5f60718293a4f"], jobs.Select(j => j.Id));
        Assert.Same(jobs[0].Recruiter, jobs[1].Recruiter);
        Assert.Same(jobs[0].Recruiter, jobs[2].Recruiter);
        var r = jobs[0].Recruiter;
        Assert.Equal("2f1c6a4e-8b0e-4f5c-9a77-0c3e5d1f2a3b", r.EstablishmentId);
        Assert.Equal("78424186100011", r.Siret);
        Assert.Equal("BOULANGERIE MARTIN SARL", r.RaisonSociale);
        Assert.Equal("AU BON PAIN", r.Enseigne);
        Assert.Equal("12 RUE DE LA REPUBLIQUE 69003 LYON", r.Address);
        Assert.Equal("Lyon", r.City);
        Assert.Equal("69003", r.ZipCode); // address_detail.code_postal
        Assert.Equal(45.7601, r.Latitude);
        Assert.Equal(4.8590, r.Longitude);
        Assert.True(r.IsDelegated);
        Assert.Equal("19690000000017", r.CfaDelegatedSiret);
        Assert.Equal("Marie", r.FirstName);
        Assert.Equal("Martin", r.LastName);
        Assert.Equal("0601020304", r.Phone);
        Assert.Equal("marie@bonpain.fr", r.Email);
        Assert.Equal("akto-widget", r.Origin);
        Assert.StartsWith("AKTO", r.Opco);
        Assert.Equal("843", r.Idcc);
        Assert.Equal("Actif", r.Status);
        Assert.Equal("10.71C", r.NafCode);
        Assert.Equal("Boulangerie et boulangerie-pâtisserie", r.NafLabel);
        Assert.Equal("3 à 5 salariés", r.EstablishmentSize);
        Assert.Equal("2001-03-01T00:00:00.000Z", r.EstablishmentCreationDate); // extended JSON {"$date": ...}
        Assert.Equal("65a1b2c3d4e5f60718290000", r.ManagedBy);

        var j = jobs[0];
        Assert.Equal(45.7601, j.Latitude);
        Assert.Equal(["D1102"], j.RomeCodes);
        Assert.Equal("Boulanger / Boulangère", j.RomeLabel);
        Assert.Equal("Boulanger / Boulangère", j.RomeAppellationLabel);
        Assert.Equal("Cap, autres formations niveau (Infrabac)", j.JobLevelLabel);
        Assert.Equal("2026-09-01T00:00:00.000Z", j.JobStartDate);
        Assert.Equal("Apprendre le métier de boulanger dans une boutique de quartier.", j.JobDescription);
        Assert.Equal("Boulangerie artisanale", j.JobEmployerDescription);
        Assert.Equal("2026-06-01T08:00:00.000Z", j.JobCreationDate);
        Assert.Equal("2026-08-01T08:00:00.000Z", j.JobExpirationDate);
        Assert.Equal("2026-06-02T08:00:00.000Z", j.JobUpdateDate);
        Assert.Equal("Active", j.JobStatus);
        Assert.Equal(["Apprentissage", "Professionnalisation"], j.JobType);
        Assert.False(j.IsMultiPublished);
        Assert.True(j.IsDisabledElligible);
        Assert.Equal(2, j.JobCount);
        Assert.Equal(24, j.JobDuration);
        Assert.Equal("2 jours / 3 jours", j.JobRythm);
        Assert.Equal("Marché couvert", j.CustomAddress);
        Assert.Equal("Apprenti boulanger", j.CustomJobTitle);
        Assert.True(j.IsActive);
        Assert.False(j.PostedThroughApi);

        Assert.Equal(["D1104"], jobs[1].RomeCodes);
        Assert.Equal("Pourvue", jobs[1].JobStatus);
        Assert.False(jobs[1].IsActive);
        Assert.True(jobs[1].IsMultiPublished); // default when absent
        Assert.Equal(1, jobs[1].JobCount);
        Assert.Equal("Annulée", jobs[2].JobStatus);
    }

    [Fact]
    public async Task Bad_recruiter_lines_are_refused_whole()
    {
        string[] lines =
        [
            """{"establishment_id":"r1","geo_coordinates":"48.1,-1.6","jobs":[{"_id":"j1","rome_code":["M1607"]}]}""",
            """{"geo_coordinates":"48.1,-1.6","jobs":[{"_id":"j2","rome_code":["M1607"]}]}""",
            """{"establishment_id":"r3","jobs":[{"_id":"j3","rome_code":["M1607"]}]}""",
            """{"establishment_id":"r4","geopoint":{"type":"Point","coordinates":[-1.6,48.1]},"status":"Archivé","jobs":[{"_id":"j4","rome_code":["M1607"]}]}""",
            """{"establishment_id":"r5","geo_coordinates":"48.1,-1.6","jobs":[]}""",
            """{"establishment_id":"r6","geo_coordinates":"48.1,-1.6","jobs":[{"_id":"j6","rome_code":["M1607"]}""",
        ];
        var (items, report) = await Shared.Read(string.Join("\n", lines), Source.Matcha);
        Assert.Equal(["j1", "j4"], items.Select(i => i.Id));
        var j4 = (MatchaItem)items[1];
        Assert.Equal(48.1, j4.Latitude); // GeoJSON [lon, lat] when the "lat,lon" string is missing
        Assert.Equal(-1.6, j4.Longitude);
        Assert.Equal("Archivé", j4.Recruiter.Status);
        Assert.False(j4.IsActive);
        Assert.Equal(6, report.Lines);
        Assert.Equal(3, report.Rejected); // a recruiter without jobs is not an error
        Assert.Equal([2, 3, 6], report.Errors.Select(e => (int)e.Line));
        Assert.Equal("missing id (establishment_id)", report.Errors[0].Reason);
        Assert.Equal("missing coordinates (geo_coordinates)", report.Errors[1].Reason);
        Assert.StartsWith("invalid JSON", report.Errors[2].Reason);
    }

    [Fact]
    public async Task A_company_line_gives_an_item_with_every_field_and_its_siret_as_id()
    {
        const string line = """
            {"_id":{"$oid":"x"},"siret":"78424186100011","raison_sociale":"COMPAGNIE PARISIENNE DE CHAUFFAGE URBAIN","enseigne":"CPCU","naf_code":"3530Z","naf_label":"Production et distribution de vapeur et d'air conditionné","rome_codes":["I1308","F1603"],"street_number":"185","street_name":"RUE DE BERCY","insee_city_code":"75112","zip_code":"75012","city":"PARIS","geo_coordinates":"48.84,2.37","email":"contact@cpcu.fr","phone":"0144000000","company_size":"50-99","website":"https://www.cpcu.fr","opco":"Opco 2i","opco_short_name":"opco2i","opco_url":"https://www.opco2i.fr","recruitment_potential":"4.25","created_at":{"$date":"2024-01-01T00:00:00Z"}}
            """;
        var (items, report) = await Shared.Read(line, Source.Company);
        Assert.Equal(0, report.Rejected);
        var c = Assert.IsType<CompanyItem>(Assert.Single(items));
        Assert.Equal("78424186100011", c.Id);
        Assert.Equal("78424186100011", c.Siret);
        Assert.Equal(48.84, c.Latitude);
        Assert.Equal(2.37, c.Longitude);
        Assert.Equal(["I1308", "F1603"], c.RomeCodes);
        Assert.Equal("COMPAGNIE PARISIENNE DE CHAUFFAGE URBAIN", c.RaisonSociale);
        Assert.Equal("CPCU", c.Enseigne);
        Assert.Equal("3530Z", c.NafCode);
        Assert.Equal("Production et distribution de vapeur et d'air conditionné", c.NafLabel);
        Assert.Equal("185", c.StreetNumber);
        Assert.Equal("RUE DE BERCY", c.StreetName);
        Assert.Equal("75112", c.InseeCityCode);
        Assert.Equal("75012", c.ZipCode);
        Assert.Equal("PARIS", c.City);
        Assert.Equal("contact@cpcu.fr", c.Email);
        Assert.Equal("0144000000", c.Phone);
        Assert.Equal("50-99", c.CompanySize);
        Assert.Equal("https://www.cpcu.fr", c.Website);
        Assert.Equal("Opco 2i", c.Opco);
        Assert.Equal("OPCO2I", c.OpcoShortName);
        Assert.Equal("https://www.opco2i.fr", c.OpcoUrl);
        Assert.Equal(4.25, c.RecruitmentPotential);
    }

    [Fact]
    public async Task Bad_company_lines_are_reported()
    {
        string[] lines =
        [
            """{"siret":"78424186100011","rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}""",
            """{"siret":"7842418610001","rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}""",
            """{"siret":"78424186100012","rome_codes":["I1308"],"geo_coordinates":"48.84"}""",
            """{"siret":"78424186100013","geo_coordinates":"48.84,2.37"}""",
            """{"siret":"","rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}""",
            """{"siret":78424186100014,"rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}""",
        ];
        var (items, report) = await Shared.Read(string.Join("\n", lines), Source.Company);
        Assert.Equal(["78424186100011", "78424186100014"], items.Select(i => i.Id));
        Assert.Equal([2, 3, 4, 5], report.Errors.Select(e => (int)e.Line));
        Assert.Equal("siret '7842418610001' is not 14 digits", report.Errors[0].Reason);
        Assert.Equal("missing coordinates (geo_coordinates)", report.Errors[1].Reason);
        Assert.Equal("no ROME code (rome_codes)", report.Errors[2].Reason);
        Assert.Equal("missing id (siret)", report.Errors[3].Reason);
    }

    [Fact]
    public async Task Gzip_input_is_detected_and_gives_the_same_items()
    {
        var text = Formation + "\n" + Formation.Replace("101249P", "999999P");
        var plain = await Shared.Read(text, Source.Formation);
        var packed = new MemoryStream();
        using (var gz = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write(Encoding.UTF8.GetBytes(text));
        packed.Position = 0;
        var (items, report) = await FeedReader.ReadAllAsync(packed, Source.Formation);
        Assert.Equal(2, report.Items);
        Assert.Equal(plain.Items.Select(Shared.Canonical), items.Select(Shared.Canonical));
    }

    [Fact]
    public async Task A_bom_and_blank_lines_are_tolerated_and_line_numbers_stay_physical()
    {
        var text = "\uFEFF" + """{"id":"A1","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""" + "\n\n   \n\t\n{oops}\n";
        var (items, report) = await Shared.Read(text, Source.PeJob);
        Assert.Single(items);
        Assert.Equal(2, report.Lines);
        Assert.Equal(5, Assert.Single(report.Errors).Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n")]
    public async Task An_empty_feed_gives_an_empty_report(string text)
    {
        var (items, report) = await Shared.Read(text, Source.Company);
        Assert.Empty(items);
        Assert.Equal(new FeedReport(0, 0, 0, []), report with { Errors = [] });
        Assert.Empty(report.Errors);
    }

    [Fact]
    public async Task Invalid_utf8_and_too_deep_nesting_are_line_errors()
    {
        var good = """{"siret":"78424186100011","rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}"""u8.ToArray();
        var latin1 = """{"siret":"78424186100012","city":"PONT-L'EV"""u8.ToArray().Concat(new byte[] { 0xC9 }) // 'É' in Latin-1
            .Concat("""QUE","rome_codes":["I1308"],"geo_coordinates":"48.84,2.37"}"""u8.ToArray()).ToArray();
        var deep = Encoding.UTF8.GetBytes("""{"siret":"78424186100013","x":""" + new string('[', 100) + new string(']', 100) + "}");
        var text = good.Concat("\n"u8.ToArray()).Concat(latin1).Concat("\n"u8.ToArray()).Concat(deep).Concat("\n"u8.ToArray()).Concat(good).ToArray();
        var (items, report) = await FeedReader.ReadAllAsync(new MemoryStream(text), Source.Company);
        Assert.Equal(2, items.Count);
        Assert.Equal([2, 3], report.Errors.Select(e => (int)e.Line));
        Assert.Equal("invalid UTF-8 at byte 43 (feeds are UTF-8)", report.Errors[0].Reason);
        Assert.StartsWith("invalid JSON", report.Errors[1].Reason);
    }

    [Fact]
    public async Task A_corrupt_gzip_stream_fails_the_read()
    {
        byte[] bytes = [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07];
        await Assert.ThrowsAnyAsync<Exception>(() => FeedReader.ReadAllAsync(new MemoryStream(bytes), Source.Company));
    }

    [Fact]
    public async Task Batches_respect_the_batch_size_and_keep_feed_order()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 10; i++) sb.Append($$$"""{"id":"P{{{i}}}","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""").Append('\n');
        var batches = new List<string[]>();
        var report = await FeedReader.ReadAsync(Shared.Utf8(sb.ToString()), Source.PeJob, b =>
        {
            batches.Add(b.ToArray().Select(i => i.Id).ToArray());
            return ValueTask.CompletedTask;
        }, batchSize: 4);
        Assert.Equal(10, report.Items);
        Assert.Equal([4, 4, 2], batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"P{i}"), batches.SelectMany(b => b));
    }

    [Fact]
    public async Task Errors_are_all_counted_but_only_the_first_thousand_kept()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 1500; i++) sb.Append("{not json}\n");
        sb.Append("""{"id":"last","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""");
        var (items, report) = await Shared.Read(sb.ToString(), Source.PeJob);
        Assert.Equal("last", Assert.Single(items).Id);
        Assert.Equal(1500, report.Rejected);
        Assert.Equal(FeedReader.MaxErrors, report.Errors.Count);
        Assert.True(report.ErrorsTruncated);
        Assert.Equal(1000, report.Errors[^1].Line);
    }

    [Fact]
    public async Task A_line_longer_than_the_read_buffer_is_read_whole()
    {
        var description = new string('x', 3 << 20); // 3 MiB: the buffer must grow
        var text = """{"id":"A0","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""" + "\n"
            + $$$"""{"id":"BIG","description":"{{{description}}}","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""" + "\n"
            + """{"id":"A2","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""";
        // A stream that hands out small chunks, as a network body does.
        var (items, report) = await FeedReader.ReadAllAsync(new TrickleStream(Encoding.UTF8.GetBytes(text), 7919), Source.PeJob);
        Assert.Equal(0, report.Rejected);
        Assert.Equal(["A0", "BIG", "A2"], items.Select(i => i.Id));
        Assert.Equal(description.Length, ((PeJobItem)items[1]).Description!.Length);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(40, 2)]
    [InlineData(97, 3)]
    [InlineData(300, 4)]
    public async Task Small_chunks_and_parallel_parsing_give_the_same_items_errors_and_line_numbers(int chunkSize, int parallelism)
    {
        var rng = new Random(chunkSize);
        var sb = new StringBuilder("\uFEFF");
        for (int i = 0; i < 400; i++)
        {
            switch (rng.Next(6))
            {
                case 0: sb.Append("{broken\n"); break;
                case 1: sb.Append("\r\n"); break;
                case 2: sb.Append($$$"""{"establishment_id":"r{{{i}}}","geo_coordinates":"48.1,-1.6","jobs":[{"_id":"a{{{i}}}","rome_code":["M1607"]},{"_id":"b{{{i}}}","rome_code":[]}]}""").Append('\n'); break;
                default: sb.Append($$$"""{"establishment_id":"r{{{i}}}","geo_coordinates":"48.1,-1.6","jobs":[{"_id":"j{{{i}}}","rome_code":["M1607"],"job_description":"{{{new string('d', rng.Next(200))}}}"}]}""").Append("\r\n"); break;
            }
        }
        sb.Append("""{"establishment_id":"last","geo_coordinates":"48.1,-1.6","jobs":[{"_id":"z","rome_code":["M1607"]}]}""");
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());

        var expected = await FeedReader.ReadAllAsync(new MemoryStream(bytes), Source.Matcha);
        var items = new List<SearchItem>();
        var report = await FeedReader.ReadAsync(new TrickleStream(bytes, 13), Source.Matcha, b =>
        {
            items.AddRange(b.ToArray());
            return ValueTask.CompletedTask;
        }, 7, chunkSize, parallelism, CancellationToken.None);

        Assert.Equal(expected.Items.Select(i => i.Id), items.Select(i => i.Id));
        Assert.Equal("z", items[^1].Id);
        Assert.Equal(expected.Report.Lines, report.Lines);
        Assert.Equal(expected.Report.Items, report.Items);
        Assert.Equal(expected.Report.Rejected, report.Rejected);
        Assert.Equal(expected.Report.Errors, report.Errors);
        // Line numbers are physical: recount them from the text.
        var physical = sb.ToString().Split('\n');
        Assert.All(report.Errors, e => Assert.Contains(e.Reason.StartsWith("jobs[1]") ? "\"b" : "{broken", physical[e.Line - 1]));
        Assert.True(report.Errors.Count > 20);
    }

    [Fact]
    public async Task Cancellation_stops_the_read()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 100; i++) sb.Append($$$"""{"id":"P{{{i}}}","romeCode":"M1805","lieuTravail":{"latitude":43.6,"longitude":1.44}}""").Append('\n');
        using var cts = new CancellationTokenSource();
        int batches = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FeedReader.ReadAsync(Shared.Utf8(sb.ToString()), Source.PeJob, _ =>
        {
            if (++batches == 2) cts.Cancel();
            return ValueTask.CompletedTask;
        }, batchSize: 10, ct: cts.Token));
        Assert.Equal(2, batches);
    }

    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
