using System.Globalization;
using Alternance.Api.Json;
using Alternance.Api.Search;
using Alternance.Api.Security;

namespace Alternance.Api.Recruiters;

/// <summary>
/// <c>GET /api/v1/jobs/bulk?page=&amp;limit=</c> (reference §1.11): the recruiters of the key's OPCO, as recruiter
/// documents with their offers, a page at a time (<c>limit</c> ≤ 100, 10 by default), with
/// <c>{data, pagination: {page, result_per_page, number_of_page, total}}</c>. The recruiters are those whose offers
/// searches show (the recruiters feed and the offers posted through the API), read from the cells at one snapshot
/// (<see cref="Alternance.Search.SearchEngine.ListAllAsync"/>) and ordered by <c>establishment_id</c>; a recruiter posted
/// through the API is answered as its grain holds it (every job, whatever its status).
/// </summary>
public sealed class RecruiterBulk(ApiKeys keys, ISearchBackend backend, IGrainFactory grains, IContactProtector protector)
{
    public const int MaxLimit = 100;
    public const int DefaultLimit = 10;

    public async Task<IResult> Page(HttpContext context)
    {
        var (partner, denied) = keys.AuthenticatePartner(context.Request);
        if (partner is null) return denied!;
        if (OpcoKeys.ToKey(partner.Opco) is not { } opco)
        {
            return Boom.Forbidden("Accès non autorisé : cette clé n'est rattachée à aucun OPCO");
        }
        var v = new BodyValidator(default, "querystring");
        int page = Number(v, context.Request.Query, "page", 1, 1, int.MaxValue);
        int limit = Number(v, context.Request.Query, "limit", DefaultLimit, 1, MaxLimit);
        foreach (string unsupported in (string[])["query", "select"])
        {
            // La bonne alternance takes a MongoDB filter and projection here; this service has no such store.
            if (context.Request.Query.ContainsKey(unsupported)) v.Add(unsupported, $"{unsupported} is not supported: the recruiters of the key's OPCO are listed whole");
        }
        if (v.HasIssues) return v.ToResult();

        // Every offer of the OPCO searches show, grouped by recruiter (a few thousand recruiters per OPCO at full scale).
        var jobsByRecruiter = new SortedDictionary<string, List<MatchaItem>>(StringComparer.Ordinal);
        await foreach (SearchItem item in backend.ListAllAsync([new SourceQuery { Source = Source.Matcha, Opco = opco }], context.RequestAborted))
        {
            if (item is not MatchaItem job) continue;
            if (!jobsByRecruiter.TryGetValue(job.Recruiter.EstablishmentId, out List<MatchaItem>? jobs)) jobsByRecruiter[job.Recruiter.EstablishmentId] = jobs = [];
            jobs.Add(job);
        }
        int total = jobsByRecruiter.Count;
        var documents = new List<RecruiterRecord>(limit);
        foreach (var (establishment, jobs) in jobsByRecruiter.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * limit)).Take(limit))
        {
            RecruiterRecord? stored = jobs[0].PostedThroughApi ? await grains.GetGrain<IRecruiterGrain>(establishment).Get() : null;
            documents.Add(stored ?? FromFeed(jobs));
        }
        return new JsonBody(StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (RecruiterRecord document in documents) RecruiterJson.Write(w, document, protector);
            w.WriteEndArray();
            w.WriteStartObject("pagination");
            w.WriteNumber("page", page);
            w.WriteNumber("result_per_page", limit);
            w.WriteNumber("number_of_page", (total + limit - 1) / limit);
            w.WriteNumber("total", total);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static int Number(BodyValidator v, IQueryCollection query, string name, int fallback, int min, int max)
    {
        if (Validation.SearchValidator.Value(query, name) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            v.Add(name, "Number attendu", "invalid_type");
            return fallback;
        }
        if (value < min) v.Add(name, $"Number must be greater than or equal to {min}", "too_small");
        else if (value > max) v.Add(name, $"Number must be less than or equal to {max}", "too_big");
        return value;
    }

    /// <summary>A recruiter of the recruiters feed, as a document, from its offers (they all carry it).</summary>
    private static RecruiterRecord FromFeed(List<MatchaItem> jobs)
    {
        RecruiterInfo r = jobs[0].Recruiter;
        static DateTimeOffset At(string? text) => OfferDates.ParseMilliseconds(text) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;
        return new RecruiterRecord
        {
            DocumentId = r.EstablishmentId,
            EstablishmentId = r.EstablishmentId,
            Partner = "",
            Siret = r.Siret ?? "",
            RaisonSociale = r.RaisonSociale,
            Enseigne = r.Enseigne,
            Address = r.Address,
            City = r.City,
            ZipCode = r.ZipCode,
            Latitude = r.Latitude,
            Longitude = r.Longitude,
            FirstName = r.FirstName,
            LastName = r.LastName,
            Phone = r.Phone,
            Email = r.Email,
            Origin = r.Origin,
            Opco = r.Opco,
            OpcoUrl = r.OpcoUrl,
            Idcc = r.Idcc,
            NafCode = r.NafCode,
            NafLabel = r.NafLabel,
            EstablishmentSize = r.EstablishmentSize,
            EstablishmentCreationDate = r.EstablishmentCreationDate,
            Status = r.Status,
            Jobs = [.. jobs.OrderBy(j => j.Id, StringComparer.Ordinal).Select(j => new JobRecord
            {
                Id = j.Id,
                RomeLabel = j.RomeLabel,
                RomeAppellationLabel = j.RomeAppellationLabel,
                RomeCodes = j.RomeCodes,
                JobLevelLabel = j.JobLevelLabel,
                JobStartDate = At(j.JobStartDate),
                JobDescription = j.JobDescription,
                JobEmployerDescription = j.JobEmployerDescription,
                CreationDate = At(j.JobCreationDate),
                ExpirationDate = At(j.JobExpirationDate),
                UpdateDate = j.JobUpdateDate is null ? null : At(j.JobUpdateDate),
                ProlongationCount = j.JobProlongationCount,
                Status = j.JobStatus,
                JobType = j.JobType,
                IsMultiPublished = j.IsMultiPublished,
                IsDisabledElligible = j.IsDisabledElligible,
                JobCount = j.JobCount,
                JobDuration = j.JobDuration,
                JobRythm = j.JobRythm,
                CustomAddress = j.CustomAddress,
                CustomJobTitle = j.CustomJobTitle,
                Latitude = j.Latitude,
                Longitude = j.Longitude,
            })],
        };
    }
}
