using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Alternance.Data;

/// <summary>
/// Writes items back in the feed formats <see cref="FeedReader"/> reads (same field names, one object a line, UTF-8,
/// <c>\n</c>), so an export can be re-imported. Null fields are left out. The recruiters feed is written one document per
/// recruiter (grouped by <see cref="RecruiterInfo.EstablishmentId"/>, first appearance order) with its <c>jobs</c>.
/// </summary>
public static class FeedWriter
{
    private const int FlushThreshold = 1 << 18;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Accents stay readable (the feeds are French); quotes and control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Writes <paramref name="items"/> (all of <paramref name="source"/>'s type) to <paramref name="output"/>, which stays open.
    /// The items are enumerated in the caller's context (no <c>ConfigureAwait(false)</c>), so grain state can be written.</summary>
    public static async Task WriteAsync(Stream output, Source source, IEnumerable<SearchItem> items, bool gzip = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(items);
        var target = gzip ? new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true) : output;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(FlushThreshold + (1 << 16));
            using var w = new Utf8JsonWriter(buffer, WriterOptions);
            if (source == Source.Matcha)
            {
                foreach (var group in GroupByRecruiter(items))
                {
                    WriteRecruiter(w, group);
                    await EndLineAsync(w, buffer, target, ct);
                }
            }
            else
            {
                foreach (var item in items)
                {
                    switch (item)
                    {
                        case FormationItem f when source == Source.Formation: WriteFormation(w, f); break;
                        case PeJobItem p when source == Source.PeJob: WritePeJob(w, p); break;
                        case CompanyItem c when source == Source.Company: WriteCompany(w, c); break;
                        default: throw new ArgumentException($"A {item.GetType().Name} cannot be written to the {source.FeedName()} feed.", nameof(items));
                    }
                    await EndLineAsync(w, buffer, target, ct);
                }
            }
            if (buffer.WrittenCount > 0) await target.WriteAsync(buffer.WrittenMemory, ct);
            await target.FlushAsync(ct);
        }
        finally
        {
            if (gzip) await target.DisposeAsync();
        }
    }

    /// <summary>Writes a feed file; gzip when asked, or by default when the name ends with <c>.gz</c>.</summary>
    public static async Task WriteFileAsync(string path, Source source, IEnumerable<SearchItem> items, bool? gzip = null, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await WriteAsync(file, source, items, gzip ?? path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase), ct);
    }

    /// <summary>One item (or, for a recruiter, all the given jobs of one recruiter) as a single feed line, without the newline.</summary>
    public static string ToLine(Source source, IReadOnlyList<SearchItem> items)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            switch (source)
            {
                case Source.Matcha:
                    var jobs = new List<MatchaItem>(items.Count);
                    foreach (var i in items) jobs.Add((MatchaItem)i);
                    WriteRecruiter(w, jobs);
                    break;
                case Source.Formation: WriteFormation(w, (FormationItem)items[0]); break;
                case Source.PeJob: WritePeJob(w, (PeJobItem)items[0]); break;
                case Source.Company: WriteCompany(w, (CompanyItem)items[0]); break;
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async ValueTask EndLineAsync(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, Stream target, CancellationToken ct)
    {
        w.Flush();
        w.Reset();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        if (buffer.WrittenCount >= FlushThreshold)
        {
            await target.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
        }
    }

    private static List<List<MatchaItem>> GroupByRecruiter(IEnumerable<SearchItem> items)
    {
        var groups = new List<List<MatchaItem>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item is not MatchaItem m) throw new ArgumentException($"A {item.GetType().Name} cannot be written to the recruiters feed.", nameof(items));
            var key = m.Recruiter.EstablishmentId;
            // Jobs of one recruiter usually come together: check the last group before the dictionary.
            if (groups.Count > 0 && groups[^1][0].Recruiter.EstablishmentId == key) { groups[^1].Add(m); continue; }
            if (index.TryGetValue(key, out var g)) { groups[g].Add(m); continue; }
            index[key] = groups.Count;
            groups.Add([m]);
        }
        return groups;
    }

    private static void WriteFormation(Utf8JsonWriter w, FormationItem f)
    {
        w.WriteStartObject();
        w.WriteString("cle_ministere_educatif"u8, f.Id);
        Str(w, "intitule_long"u8, f.IntituleLong);
        Str(w, "intitule_court"u8, f.IntituleCourt);
        Str(w, "diplome"u8, f.Diplome);
        Str(w, "niveau"u8, f.Niveau);
        Str(w, "cfd"u8, f.Cfd);
        Str(w, "rncp_code"u8, f.RncpCode);
        Str(w, "rncp_intitule"u8, f.RncpIntitule);
        if (f.RncpEligibleApprentissage is { } eligible) w.WriteBoolean("rncp_eligible_apprentissage"u8, eligible);
        Array(w, "rome_codes"u8, f.RomeCodes);
        LatLon(w, "lieu_formation_geo_coordonnees"u8, f.Latitude, f.Longitude);
        Str(w, "lieu_formation_adresse"u8, f.Adresse);
        Str(w, "code_postal"u8, f.CodePostal);
        Str(w, "code_commune_insee"u8, f.CodeCommuneInsee);
        Str(w, "localite"u8, f.Localite);
        Str(w, "num_departement"u8, f.NumDepartement);
        Str(w, "region"u8, f.Region);
        Str(w, "etablissement_formateur_siret"u8, f.FormateurSiret);
        Str(w, "etablissement_formateur_enseigne"u8, f.FormateurEnseigne);
        Str(w, "etablissement_formateur_entreprise_raison_sociale"u8, f.FormateurRaisonSociale);
        Str(w, "etablissement_formateur_uai"u8, f.FormateurUai);
        Str(w, "etablissement_formateur_cedex"u8, f.FormateurCedex);
        Str(w, "etablissement_gestionnaire_siret"u8, f.GestionnaireSiret);
        Str(w, "etablissement_gestionnaire_entreprise_raison_sociale"u8, f.GestionnaireRaisonSociale);
        Str(w, "etablissement_gestionnaire_uai"u8, f.GestionnaireUai);
        Str(w, "num_tel"u8, f.Phone);
        Str(w, "email"u8, f.Email);
        Str(w, "onisep_url"u8, f.OnisepUrl);
        Str(w, "capacite"u8, f.Capacite);
        Str(w, "id_rco_formation"u8, f.IdRcoFormation);
        Str(w, "id_formation"u8, f.IdFormation);
        Array(w, "date_debut"u8, f.DateDebut);
        Array(w, "date_fin"u8, f.DateFin);
        Str(w, "objectif"u8, f.Objectif);
        Str(w, "contenu"u8, f.Contenu);
        w.WriteBoolean("entierement_a_distance"u8, f.EntierementADistance);
        Str(w, "parcoursup_id"u8, f.ParcoursupId);
        w.WriteEndObject();
    }

    private static void WritePeJob(Utf8JsonWriter w, PeJobItem p)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, p.Id);
        Str(w, "intitule"u8, p.Intitule);
        Str(w, "description"u8, p.Description);
        Str(w, "dateCreation"u8, p.DateCreation);
        w.WriteStartObject("lieuTravail"u8);
        Str(w, "libelle"u8, p.LieuLibelle);
        w.WriteNumber("latitude"u8, p.Latitude);
        w.WriteNumber("longitude"u8, p.Longitude);
        Str(w, "codePostal"u8, p.CodePostal);
        Str(w, "commune"u8, p.CommuneInsee);
        w.WriteEndObject();
        w.WriteString("romeCode"u8, p.RomeCodes.Length > 0 ? p.RomeCodes[0] : null);
        Str(w, "appellationlibelle"u8, p.AppellationLibelle);
        if (p.EntrepriseNom is not null || p.EntrepriseDescription is not null || p.EntrepriseLogo is not null || p.EntrepriseSiret is not null)
        {
            w.WriteStartObject("entreprise"u8);
            Str(w, "nom"u8, p.EntrepriseNom);
            Str(w, "description"u8, p.EntrepriseDescription);
            Str(w, "logo"u8, p.EntrepriseLogo);
            Str(w, "siret"u8, p.EntrepriseSiret);
            w.WriteEndObject();
        }
        Str(w, "typeContrat"u8, p.TypeContrat);
        Str(w, "typeContratLibelle"u8, p.TypeContratLibelle);
        Str(w, "natureContrat"u8, p.NatureContrat);
        Str(w, "dureeTravailLibelle"u8, p.DureeTravailLibelle);
        Str(w, "secteurActivite"u8, p.SecteurActivite);
        Str(w, "secteurActiviteLibelle"u8, p.SecteurActiviteLibelle);
        if (p.ContactNom is not null || p.ContactCourriel is not null)
        {
            w.WriteStartObject("contact"u8);
            Str(w, "nom"u8, p.ContactNom);
            Str(w, "courriel"u8, p.ContactCourriel);
            w.WriteEndObject();
        }
        Str(w, "niveauFormation"u8, p.NiveauFormation);
        // Not in the France Travail shape: written only when resolved, so a re-import keeps them.
        Str(w, "opco"u8, p.Opco);
        Str(w, "opcoUrl"u8, p.OpcoUrl);
        w.WriteEndObject();
    }

    private static void WriteRecruiter(Utf8JsonWriter w, List<MatchaItem> jobs)
    {
        var r = jobs[0].Recruiter;
        w.WriteStartObject();
        w.WriteString("establishment_id"u8, r.EstablishmentId);
        Str(w, "establishment_raison_sociale"u8, r.RaisonSociale);
        Str(w, "establishment_enseigne"u8, r.Enseigne);
        Str(w, "establishment_siret"u8, r.Siret);
        Str(w, "address"u8, r.Address);
        if (r.City is not null || r.ZipCode is not null)
        {
            w.WriteStartObject("address_detail"u8);
            Str(w, "localite"u8, r.City);
            Str(w, "code_postal"u8, r.ZipCode);
            w.WriteEndObject();
        }
        LatLon(w, "geo_coordinates"u8, r.Latitude, r.Longitude);
        w.WriteBoolean("is_delegated"u8, r.IsDelegated);
        Str(w, "cfa_delegated_siret"u8, r.CfaDelegatedSiret);
        Str(w, "first_name"u8, r.FirstName);
        Str(w, "last_name"u8, r.LastName);
        Str(w, "phone"u8, r.Phone);
        Str(w, "email"u8, r.Email);
        Str(w, "origin"u8, r.Origin);
        Str(w, "opco"u8, r.Opco);
        Str(w, "opco_url"u8, r.OpcoUrl);
        Str(w, "idcc"u8, r.Idcc);
        w.WriteString("status"u8, r.Status);
        Str(w, "naf_code"u8, r.NafCode);
        Str(w, "naf_label"u8, r.NafLabel);
        Str(w, "establishment_size"u8, r.EstablishmentSize);
        Str(w, "establishment_creation_date"u8, r.EstablishmentCreationDate);
        Str(w, "managed_by"u8, r.ManagedBy);
        w.WriteStartArray("jobs"u8);
        foreach (var j in jobs)
        {
            w.WriteStartObject();
            w.WriteString("_id"u8, j.Id);
            Str(w, "rome_label"u8, j.RomeLabel);
            Str(w, "rome_appellation_label"u8, j.RomeAppellationLabel);
            Array(w, "rome_code"u8, j.RomeCodes);
            Str(w, "job_level_label"u8, j.JobLevelLabel);
            Str(w, "job_start_date"u8, j.JobStartDate);
            Str(w, "job_description"u8, j.JobDescription);
            Str(w, "job_employer_description"u8, j.JobEmployerDescription);
            Str(w, "job_creation_date"u8, j.JobCreationDate);
            Str(w, "job_expiration_date"u8, j.JobExpirationDate);
            Str(w, "job_update_date"u8, j.JobUpdateDate);
            w.WriteNumber("job_prolongation_count"u8, j.JobProlongationCount);
            w.WriteString("job_status"u8, j.JobStatus);
            Array(w, "job_type"u8, j.JobType);
            w.WriteBoolean("is_multi_published"u8, j.IsMultiPublished);
            w.WriteBoolean("is_disabled_elligible"u8, j.IsDisabledElligible);
            w.WriteNumber("job_count"u8, j.JobCount);
            if (j.JobDuration is { } duration) w.WriteNumber("job_duration"u8, duration);
            Str(w, "job_rythm"u8, j.JobRythm);
            Str(w, "custom_address"u8, j.CustomAddress);
            Str(w, "custom_job_title"u8, j.CustomJobTitle);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteCompany(Utf8JsonWriter w, CompanyItem c)
    {
        w.WriteStartObject();
        w.WriteString("siret"u8, c.Id);
        Str(w, "raison_sociale"u8, c.RaisonSociale);
        Str(w, "enseigne"u8, c.Enseigne);
        Str(w, "naf_code"u8, c.NafCode);
        Str(w, "naf_label"u8, c.NafLabel);
        Array(w, "rome_codes"u8, c.RomeCodes);
        Str(w, "street_number"u8, c.StreetNumber);
        Str(w, "street_name"u8, c.StreetName);
        Str(w, "insee_city_code"u8, c.InseeCityCode);
        Str(w, "zip_code"u8, c.ZipCode);
        Str(w, "city"u8, c.City);
        LatLon(w, "geo_coordinates"u8, c.Latitude, c.Longitude);
        Str(w, "email"u8, c.Email);
        Str(w, "phone"u8, c.Phone);
        Str(w, "company_size"u8, c.CompanySize);
        Str(w, "website"u8, c.Website);
        Str(w, "opco"u8, c.Opco);
        Str(w, "opco_short_name"u8, c.OpcoShortName);
        Str(w, "opco_url"u8, c.OpcoUrl);
        w.WriteNumber("recruitment_potential"u8, c.RecruitmentPotential);
        w.WriteEndObject();
    }

    private static void Str(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Array(Utf8JsonWriter w, ReadOnlySpan<byte> name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    // "lat,lon" with the shortest text that parses back to the same doubles.
    private static void LatLon(Utf8JsonWriter w, ReadOnlySpan<byte> name, double lat, double lon)
    {
        Span<byte> text = stackalloc byte[64];
        lat.TryFormat(text, out int a, "R", CultureInfo.InvariantCulture);
        text[a++] = (byte)',';
        lon.TryFormat(text[a..], out int b, "R", CultureInfo.InvariantCulture);
        w.WriteString(name, text[..(a + b)]);
    }
}
