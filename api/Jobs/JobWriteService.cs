using System.Text.Json;
using Alternance.Api.Json;
using Alternance.Api.Metiers;
using Alternance.Api.Recruiters;
using Alternance.Api.Security;
using Alternance.Data;
using Alternance.Search;

namespace Alternance.Api.Jobs;

/// <summary>
/// Offers written by partners through the v3 routes (<c>POST /api/v3/jobs</c>, <c>PUT /api/v3/jobs/{id}</c>, the bulk
/// upsert) and their publishing state. An offer is a job of the recruiter the partner holds for its SIRET (created on its
/// first offer, as <c>POST /api/v1/jobs/establishment</c> would), so it has the v1 offers' durability and visibility:
/// stored by its <see cref="IRecruiterGrain"/> before the route answers, published to its cell, found by every node at
/// its next directory poll, leaving searches when its expiration date passes.
/// </summary>
public sealed class JobWriteService(
    IGrainFactory grains,
    SearchEngine engine,
    DirectoryCache directory,
    ReferenceData reference,
    AppellationIndex appellations,
    IServiceProvider services)
{
    private readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;

    /// <summary>The outcome of one write: the offer's id and whether it changed, or the error to answer.</summary>
    public readonly record struct Outcome(string? Id, bool Changed, IResult? Error, string? Message);

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Creates an offer (<c>POST</c>), or, when the partner's id for it is known, fails (409).</summary>
    public async Task<Outcome> Create(Partner partner, JobOfferBody body, string? partnerLabel = null)
    {
        string label = partnerLabel ?? partner.Name;
        DateTimeOffset now = Now;
        var (place, placeError) = await Locate(body);
        if (placeError is not null) return placeError.Value;
        var (romes, romeError) = Romes(body);
        if (romeError is not null) return romeError.Value;

        string jobId = WriteIds.NewObjectId(now);
        string partnerJobId = body.PartnerJobId ?? jobId;
        string holder = await grains.GetGrain<IPartnerJobKeyGrain>(PartnerJobKey(partner, label, partnerJobId)).Claim(jobId);
        if (holder != jobId && await Find(holder) is not null)
        {
            return Fail(StatusCodes.Status409Conflict, $"An offer with partner_job_id {partnerJobId} already exists: {holder}");
        }
        jobId = holder; // a claim left by a creation that failed half-way is taken over

        IRecruiterGrain recruiter = await Recruiter(partner, body, place!.Value, now);
        JobRecord job = Job(jobId, body, label, partnerJobId, romes!, place.Value, now, creation: body.Creation ?? now, expiration: null);
        RecruiterWriteResult result = await recruiter.AddJob(job);
        if (result.Recruiter is null) return Fail(StatusCodes.Status400BadRequest, result.Error!);
        await directory.RefreshAsync();
        return new Outcome(jobId, true, null, null);
    }

    /// <summary>Replaces an offer the partner posted (<c>PUT</c>); <paramref name="mustBeActive"/> as La bonne alternance's PUT.</summary>
    public async Task<Outcome> Update(Partner partner, string jobId, JobOfferBody body, bool mustBeActive = true)
    {
        var found = await Find(jobId);
        if (found is not { } existing || existing.Job.Partner is null) return Fail(StatusCodes.Status404NotFound, "Job offer not found");
        var (grain, recruiter, current) = existing;
        if (recruiter.Partner != partner.Name) return new Outcome(null, false, Boom.Forbidden("Accès non autorisé"), "Accès non autorisé");
        if (mustBeActive && current.Status != "Active") return Fail(StatusCodes.Status400BadRequest, "Job must be active in order to be modified");
        if (body.Siret != recruiter.Siret)
        {
            return Fail(StatusCodes.Status400BadRequest, "workplace.siret cannot change: post a new offer for another establishment");
        }
        var (place, placeError) = await Locate(body);
        if (placeError is not null) return placeError.Value;
        var (romes, romeError) = Romes(body);
        if (romeError is not null) return romeError.Value;
        JobRecord job = Job(jobId, body, current.Partner!.Label, current.Partner.JobId, romes!, place!.Value, Now,
            creation: body.Creation ?? current.CreationDate, expiration: current.ExpirationDate);
        var (result, changed) = await grain.ReplaceJob(job);
        if (result.Recruiter is null) return Fail(StatusCodes.Status400BadRequest, result.Error!);
        if (changed) await directory.RefreshAsync();
        return new Outcome(jobId, changed, null, null);
    }

    /// <summary>Creates or replaces the offer a partner knows as (<paramref name="label"/>, its <c>partner_job_id</c>): the bulk route.</summary>
    public async Task<Outcome> Upsert(Partner partner, string label, JobOfferBody body)
    {
        string? jobId = await grains.GetGrain<IPartnerJobKeyGrain>(PartnerJobKey(partner, label, body.PartnerJobId!)).Get();
        return jobId is not null && await Find(jobId) is not null
            ? await Update(partner, jobId, body, mustBeActive: false)
            : await Create(partner, body, label);
    }

    /// <summary>
    /// <c>{publishing: {status, error?}}</c>: <c>PUBLISHED</c> when the offer is active, unexpired and in its cell;
    /// <c>WILL_NOT_BE_PUBLISHED</c> with the reason otherwise; null for an unknown offer.
    /// </summary>
    public async Task<(string Status, string? Code, string? Label)?> Publishing(string jobId)
    {
        if (await Find(jobId) is not { } found) return null;
        JobRecord job = found.Job;
        // Expired first: the expiry schedule also cancels the offers it expires.
        if (job.ExpirationDate <= Now) return ("WILL_NOT_BE_PUBLISHED", "EXPIRED", "L'offre a expiré");
        if (found.Recruiter.Status != "Actif" || job.Status != "Active")
        {
            return ("WILL_NOT_BE_PUBLISHED", "NOT_ACTIVE", $"L'offre n'est pas active (statut : {V3ItemWriter.OfferStatus(job.Status, found.Recruiter.Status)})");
        }
        // Writes publish before they answer; an offer a cell does not show yet is published again by its recruiter.
        SearchItem? shown = await engine.GetAsync(Source.Matcha, jobId);
        return shown is null ? ("WILL_BE_PUBLISHED", null, null) : ("PUBLISHED", null, null);
    }

    private static string PartnerJobKey(Partner partner, string label, string partnerJobId) => $"{partner.Name}/{label}/{partnerJobId}";

    private static Outcome Fail(int status, string message) => new(null, false, Boom.Result(status, message), message);

    /// <summary>A posted offer: its recruiter's grain and document, and the job.</summary>
    private async Task<(IRecruiterGrain Grain, RecruiterRecord Recruiter, JobRecord Job)?> Find(string jobId)
    {
        if (!WriteIds.IsObjectId(jobId)) return null;
        string? establishment = await grains.GetGrain<IJobOfferGrain>(jobId).GetEstablishment();
        if (establishment is null) return null;
        IRecruiterGrain grain = grains.GetGrain<IRecruiterGrain>(establishment);
        RecruiterRecord? recruiter = await grain.Get();
        JobRecord? job = recruiter?.Jobs.FirstOrDefault(j => j.Id == jobId);
        return job is null ? null : (grain, recruiter!, job);
    }

    /// <summary>Where the offer is: the commune of the postal code in its address, else the company's place in the companies feed.</summary>
    private async Task<((double Lat, double Lon, CompanyItem? Company)? Place, Outcome? Error)> Locate(JobOfferBody body)
    {
        var company = await engine.GetAsync(Source.Company, body.Siret) as CompanyItem;
        if (PostalCodes.FromAddress(body.WorkplaceAddress) is { } postal && reference.CommunesByPostalCode(postal) is [var commune, ..])
        {
            return ((commune.Latitude, commune.Longitude, company), null);
        }
        if (company is not null) return ((company.Latitude, company.Longitude, company), null);
        return (null, Fail(StatusCodes.Status400BadRequest,
            "workplace: the SIRET is not in the companies feed; give workplace.location.address with its postal code to place the offer"));
    }

    /// <summary>The offer's ROME codes: given, else those of the appellation its title matches best.</summary>
    private (string[]? Romes, Outcome? Error) Romes(JobOfferBody body)
    {
        if (body.RomeCodes is { Length: > 0 } given) return (given.Distinct().ToArray(), null);
        if (appellations.Find(body.Title) is [var best, ..]) return ([best.CodeRome], null);
        return (null, Fail(StatusCodes.Status400BadRequest, "offer.rome_codes: no ROME code matches the title; give offer.rome_codes"));
    }

    /// <summary>The recruiter the partner holds for the SIRET, created on its first offer from the companies feed.</summary>
    private async Task<IRecruiterGrain> Recruiter(Partner partner, JobOfferBody body, (double Lat, double Lon, CompanyItem? Company) place, DateTimeOffset now)
    {
        IEstablishmentKeyGrain key = grains.GetGrain<IEstablishmentKeyGrain>($"{partner.Name}/{body.Siret}");
        string establishmentId = await key.Get() ?? await key.Claim(Guid.NewGuid().ToString());
        IRecruiterGrain grain = grains.GetGrain<IRecruiterGrain>(establishmentId);
        if (await grain.Get() is not null) return grain;
        CompanyItem? company = place.Company;
        await grain.Create(new RecruiterRecord
        {
            DocumentId = WriteIds.NewObjectId(now),
            EstablishmentId = establishmentId,
            Partner = partner.Name,
            Siret = body.Siret,
            RaisonSociale = company?.RaisonSociale ?? body.WorkplaceName,
            Enseigne = company?.Enseigne,
            Address = body.WorkplaceAddress ?? (company is null ? null : ItemWriter.CompanyAddress(company)),
            City = company?.City,
            ZipCode = PostalCodes.FromAddress(body.WorkplaceAddress) ?? company?.ZipCode,
            Latitude = place.Lat,
            Longitude = place.Lon,
            Cell = RecruiterService.CellOf(place.Lat, place.Lon),
            Phone = body.ApplyPhone,
            Email = body.ApplyEmail,
            Origin = string.IsNullOrEmpty(body.Origin) ? partner.Name : $"{partner.Name}-{body.Origin}",
            Opco = partner.Opco ?? company?.OpcoShortName ?? company?.Opco,
            OpcoUrl = company?.OpcoUrl,
            NafCode = company?.NafCode,
            NafLabel = company?.NafLabel,
            EstablishmentSize = company?.CompanySize,
            Status = "Actif",
            CreatedAt = now,
            UpdatedAt = now,
        });
        return grain;
    }

    private JobRecord Job(string id, JobOfferBody body, string label, string partnerJobId, string[] romes,
        (double Lat, double Lon, CompanyItem? Company) place, DateTimeOffset now, DateTimeOffset creation, DateTimeOffset? expiration)
    {
        RomeCode? rome = reference.FindRome(romes[0]);
        return new JobRecord
        {
            Id = id,
            RomeLabel = rome?.Label,
            RomeAppellationLabel = body.Title,
            RomeCodes = romes,
            JobLevelLabel = V3ItemWriter.LevelLabel(body.TargetDiplomaLevel) ?? "Indifférent",
            JobStartDate = body.ContractStart ?? now,
            JobDescription = body.Description,
            JobEmployerDescription = body.WorkplaceDescription,
            CreationDate = creation,
            // Given, else kept, else two months after creation (the day starting in Paris), as La bonne alternance sets it.
            ExpirationDate = body.Expiration ?? expiration ?? ParisTime.StartOfDay(ParisTime.AddExpirationPeriod(creation)),
            Status = JobOfferBody.JobStatus(body.Status),
            JobType = body.ContractType,
            IsMultiPublished = body.Multicast,
            JobCount = body.OpeningCount,
            JobDuration = body.ContractDuration,
            CustomAddress = body.WorkplaceAddress,
            CustomJobTitle = body.Title,
            Latitude = place.Lat,
            Longitude = place.Lon,
            Cell = RecruiterService.CellOf(place.Lat, place.Lon),
            Partner = new PartnerOffer
            {
                Label = label,
                JobId = partnerJobId,
                DesiredSkills = body.DesiredSkills,
                ToBeAcquiredSkills = body.ToBeAcquiredSkills,
                AccessConditions = body.AccessConditions,
                ApplyUrl = body.ApplyUrl,
                ApplyEmail = body.ApplyEmail,
                ApplyPhone = body.ApplyPhone,
                WorkplaceName = body.WorkplaceName,
                WorkplaceWebsite = body.WorkplaceWebsite,
                Remote = body.ContractRemote,
                Origin = body.Origin,
                ContractStart = body.ContractStart?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }
}
