using System.Globalization;
using System.Text.Json;
using Alternance.Api.Json;

namespace Alternance.Api.Recruiters;

/// <summary>
/// The recruiter document (docs/contract.md#stored-documents) as the offer routes answer it. The contact e-mail is never written
/// in clear: <c>email</c> holds its AES-256-CTR ciphertext and <c>iv</c> the IV (hex), as in search results.
/// </summary>
public static class RecruiterJson
{
    public static void Write(Utf8JsonWriter w, RecruiterRecord r, IContactProtector protector)
    {
        w.WriteStartObject();
        w.WriteString("_id", r.DocumentId);
        w.WriteString("establishment_id", r.EstablishmentId);
        WriteNullable(w, "establishment_raison_sociale", r.RaisonSociale);
        WriteNullable(w, "establishment_enseigne", r.Enseigne);
        w.WriteString("establishment_siret", r.Siret);
        w.WriteNull("address_detail");
        WriteNullable(w, "address", r.Address);
        WriteNullable(w, "establishment_location", r.City);
        string geo = string.Create(CultureInfo.InvariantCulture, $"{r.Latitude},{r.Longitude}");
        w.WriteString("geo_coordinates", geo);
        w.WritePropertyName("geopoint");
        w.WriteStartObject();
        w.WriteString("type", "Point");
        w.WritePropertyName("coordinates");
        w.WriteStartArray();
        w.WriteNumberValue(r.Longitude);
        w.WriteNumberValue(r.Latitude);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteBoolean("is_delegated", false);
        w.WriteNull("cfa_delegated_siret");
        WriteNullable(w, "first_name", r.FirstName);
        WriteNullable(w, "last_name", r.LastName);
        WriteNullable(w, "phone", r.Phone);
        if (string.IsNullOrEmpty(r.Email))
        {
            w.WriteString("email", "");
        }
        else
        {
            (string email, string iv) = protector.Protect(r.Email, "recruiter/" + r.EstablishmentId);
            w.WriteString("email", email);
            w.WriteString("iv", iv);
        }
        WriteNullable(w, "origin", r.Origin);
        WriteNullable(w, "opco", r.Opco);
        WriteNullable(w, "idcc", r.Idcc);
        w.WriteString("status", r.Status);
        WriteNullable(w, "naf_code", r.NafCode);
        WriteNullable(w, "naf_label", r.NafLabel);
        WriteNullable(w, "establishment_size", r.EstablishmentSize);
        WriteNullable(w, "establishment_creation_date", r.EstablishmentCreationDate);
        w.WriteNull("managed_by");
        w.WriteString("createdAt", Iso(r.CreatedAt));
        w.WriteString("updatedAt", Iso(r.UpdatedAt));
        w.WritePropertyName("jobs");
        w.WriteStartArray();
        foreach (JobRecord job in r.Jobs)
        {
            WriteJob(w, job);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteJob(Utf8JsonWriter w, JobRecord j)
    {
        w.WriteStartObject();
        w.WriteString("_id", j.Id);
        WriteNullable(w, "rome_label", j.RomeLabel);
        WriteNullable(w, "rome_appellation_label", j.RomeAppellationLabel);
        w.WritePropertyName("rome_code");
        w.WriteStartArray();
        foreach (string code in j.RomeCodes) w.WriteStringValue(code);
        w.WriteEndArray();
        w.WriteNull("rome_detail");
        WriteNullable(w, "job_level_label", j.JobLevelLabel);
        w.WriteString("job_start_date", Iso(j.JobStartDate));
        WriteNullable(w, "job_description", j.JobDescription);
        WriteNullable(w, "job_employer_description", j.JobEmployerDescription);
        w.WriteString("job_creation_date", Iso(j.CreationDate));
        w.WriteString("job_expiration_date", Iso(j.ExpirationDate));
        WriteNullable(w, "job_update_date", j.UpdateDate is { } u ? Iso(u) : null);
        WriteNullable(w, "job_last_prolongation_date", j.LastProlongationDate is { } p ? Iso(p) : null);
        w.WriteNumber("job_prolongation_count", j.ProlongationCount);
        w.WriteBoolean("relance_mail_sent", false);
        w.WriteString("job_status", j.Status);
        WriteNullable(w, "job_status_comment", j.StatusComment);
        w.WritePropertyName("job_type");
        w.WriteStartArray();
        foreach (string type in j.JobType) w.WriteStringValue(type);
        w.WriteEndArray();
        w.WriteBoolean("is_multi_published", j.IsMultiPublished);
        w.WriteNumber("job_delegation_count", 0);
        w.WritePropertyName("delegations");
        w.WriteStartArray();
        w.WriteEndArray();
        w.WriteBoolean("is_disabled_elligible", j.IsDisabledElligible);
        w.WriteNumber("job_count", j.JobCount);
        if (j.JobDuration is { } duration) w.WriteNumber("job_duration", duration);
        else w.WriteNull("job_duration");
        WriteNullable(w, "job_rythm", j.JobRythm);
        WriteNullable(w, "custom_address", j.CustomAddress);
        WriteNullable(w, "custom_geo_coordinates", j.CustomGeoCoordinates);
        WriteNullable(w, "custom_job_title", j.CustomJobTitle);
        w.WriteNumber("stats_detail_view", 0);
        w.WriteNumber("stats_search_view", 0);
        w.WriteNull("managed_by");
        w.WriteEndObject();
    }

    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
