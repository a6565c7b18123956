namespace Alternance;

// The write side: recruiters and their offers posted through the API, applications, appointment requests.
// Each is durable in grain storage before the route that wrote it answers.

/// <summary>The clock of the write side (job dates, expiry, daily quotas, the 4-day appointment rule).</summary>
public static class WriteClock
{
    /// <summary>
    /// The key of an optional keyed <see cref="TimeProvider"/> service; without one the system clock is used. Tests
    /// register a fake one under this key so that expiry and daily limits can be exercised without touching the clock
    /// Orleans itself runs on.
    /// </summary>
    public const string Key = "alternance-writes";
}

/// <summary>Calendar rules of the write side, in the reference's time zone (Europe/Paris).</summary>
public static class ParisTime
{
    public static readonly TimeZoneInfo Zone = FindZone();

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Paris", TimeSpan.FromHours(1), "Europe/Paris", "Europe/Paris");
        }
    }

    /// <summary>The calendar day of an instant in Paris.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>Midnight in Paris of the day of <paramref name="instant"/> (the day changes at midnight, Paris time).</summary>
    public static DateTimeOffset StartOfDay(DateTimeOffset instant) => StartOf(DateOf(instant));

    public static DateTimeOffset StartOf(DateOnly day)
    {
        DateTime midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }

    /// <summary>How long a posted offer stays published: two months (reference §1.11).</summary>
    public static DateTimeOffset AddExpirationPeriod(DateTimeOffset instant) => instant.AddMonths(2);

    /// <summary>DD/MM/YYYY in Paris.</summary>
    public static string Format(DateTimeOffset instant) =>
        DateOf(instant).ToString("dd'/'MM'/'yyyy", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>New ids in the reference's shapes.</summary>
public static class WriteIds
{
    private static int _counter = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1 << 24);

    /// <summary>A MongoDB-style ObjectId: 4-byte timestamp, 5 random bytes, 3-byte counter (24 hex digits).</summary>
    public static string NewObjectId(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[12];
        uint seconds = (uint)Math.Max(0, now.ToUnixTimeSeconds());
        bytes[0] = (byte)(seconds >> 24);
        bytes[1] = (byte)(seconds >> 16);
        bytes[2] = (byte)(seconds >> 8);
        bytes[3] = (byte)seconds;
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes.Slice(4, 5));
        int counter = Interlocked.Increment(ref _counter);
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsObjectId(string? id) =>
        id is { Length: 24 } && id.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;
}

/// <summary>What a job lifecycle route asks for.</summary>
public enum JobAction : byte
{
    /// <summary><c>POST /jobs/provided/{id}</c>: status <c>Pourvue</c>.</summary>
    Provided = 0,
    /// <summary><c>POST /jobs/canceled/{id}</c>: status <c>Annulée</c>.</summary>
    Canceled = 1,
    /// <summary><c>POST /jobs/extend/{id}</c>: expiry = now + 2 months, one more prolongation.</summary>
    Extend = 2,
    /// <summary>An administrator removed the offer (<c>DELETE /api/admin/recruiters/{id}</c>): status <c>Annulée</c>.</summary>
    AdminDelete = 3,
}

/// <summary>A job of a recruiter, as the recruiter document (reference §4.2) holds it.</summary>
[GenerateSerializer, Immutable, Alias("alt.w.job")]
public sealed record class JobRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public string? RomeLabel { get; init; }
    [Id(2)] public string? RomeAppellationLabel { get; init; }
    [Id(3)] public string[] RomeCodes { get; init; } = [];
    [Id(4)] public string? JobLevelLabel { get; init; }
    /// <summary>The start date as sent (an instant, UTC).</summary>
    [Id(5)] public DateTimeOffset JobStartDate { get; init; }
    [Id(6)] public string? JobDescription { get; init; }
    [Id(7)] public string? JobEmployerDescription { get; init; }
    [Id(8)] public DateTimeOffset CreationDate { get; init; }
    [Id(9)] public DateTimeOffset ExpirationDate { get; init; }
    [Id(10)] public DateTimeOffset? UpdateDate { get; init; }
    [Id(11)] public DateTimeOffset? LastProlongationDate { get; init; }
    [Id(12)] public int ProlongationCount { get; init; }
    /// <summary><c>Active</c>, <c>Pourvue</c>, <c>Annulée</c> or <c>En attente</c>.</summary>
    [Id(13)] public string Status { get; init; } = "Active";
    [Id(14)] public string? StatusComment { get; init; }
    [Id(15)] public string[] JobType { get; init; } = [];
    [Id(16)] public bool IsMultiPublished { get; init; } = true;
    [Id(17)] public bool IsDisabledElligible { get; init; }
    [Id(18)] public int JobCount { get; init; } = 1;
    [Id(19)] public int? JobDuration { get; init; }
    [Id(20)] public string? JobRythm { get; init; }
    [Id(21)] public string? CustomAddress { get; init; }
    /// <summary>"lat,lon" as sent; when set, the offer is searched at that point rather than at the recruiter's.</summary>
    [Id(22)] public string? CustomGeoCoordinates { get; init; }
    [Id(23)] public string? CustomJobTitle { get; init; }
    /// <summary>The search cell of the offer (computed by the front from the offer's position).</summary>
    [Id(24)] public long Cell { get; init; }
    [Id(25)] public double Latitude { get; init; }
    [Id(26)] public double Longitude { get; init; }
    /// <summary>Posted through <c>POST /api/v3/jobs</c>: the partner's fields (then <see cref="JobStartDate"/> is unused).</summary>
    [Id(27)] public PartnerOffer? Partner { get; init; }
}

/// <summary>A recruiter (the Matcha "formulaire") created through the API, with its jobs.</summary>
[GenerateSerializer, Immutable, Alias("alt.w.recruiter")]
public sealed record class RecruiterRecord
{
    /// <summary>The document id (ObjectId-like, 24 hex digits).</summary>
    [Id(0)] public required string DocumentId { get; init; }
    /// <summary>The public id (a UUID), the key of the recruiter grain.</summary>
    [Id(1)] public required string EstablishmentId { get; init; }
    /// <summary>The partner (API key owner) that created it; only that partner manages it.</summary>
    [Id(2)] public required string Partner { get; init; }
    [Id(3)] public required string Siret { get; init; }
    [Id(4)] public string? RaisonSociale { get; init; }
    [Id(5)] public string? Enseigne { get; init; }
    [Id(6)] public string? Address { get; init; }
    [Id(7)] public string? City { get; init; }
    [Id(8)] public double Latitude { get; init; }
    [Id(9)] public double Longitude { get; init; }
    [Id(10)] public long Cell { get; init; }
    [Id(11)] public string? FirstName { get; init; }
    [Id(12)] public string? LastName { get; init; }
    [Id(13)] public string? Phone { get; init; }
    [Id(14)] public string? Email { get; init; }
    [Id(15)] public string? Origin { get; init; }
    [Id(16)] public string? Opco { get; init; }
    [Id(17)] public string? OpcoUrl { get; init; }
    [Id(18)] public string? Idcc { get; init; }
    [Id(19)] public string? NafCode { get; init; }
    [Id(20)] public string? NafLabel { get; init; }
    [Id(21)] public string? EstablishmentSize { get; init; }
    [Id(22)] public string? EstablishmentCreationDate { get; init; }
    [Id(23)] public string Status { get; init; } = "Actif";
    [Id(24)] public DateTimeOffset CreatedAt { get; init; }
    [Id(25)] public DateTimeOffset UpdatedAt { get; init; }
    [Id(26)] public JobRecord[] Jobs { get; init; } = [];
    [Id(27)] public string? ZipCode { get; init; }
}

/// <summary>The fields <c>PATCH /api/v1/jobs/{jobId}</c> may change (null: unchanged).</summary>
[GenerateSerializer, Immutable, Alias("alt.w.jobpatch")]
public sealed record class JobPatch
{
    [Id(0)] public string? JobLevelLabel { get; init; }
    [Id(1)] public int? JobDuration { get; init; }
    [Id(2)] public string[]? JobType { get; init; }
    [Id(3)] public bool? IsDisabledElligible { get; init; }
    [Id(4)] public int? JobCount { get; init; }
    [Id(5)] public string? JobRythm { get; init; }
    [Id(6)] public string? JobEmployerDescription { get; init; }
    [Id(7)] public string? JobDescription { get; init; }
    [Id(8)] public string? CustomAddress { get; init; }
    [Id(9)] public string? CustomGeoCoordinates { get; init; }
    [Id(10)] public DateTimeOffset? JobStartDate { get; init; }
    /// <summary>Set with <see cref="CustomGeoCoordinates"/>: the new position and its cell.</summary>
    [Id(11)] public double? Latitude { get; init; }
    [Id(12)] public double? Longitude { get; init; }
    [Id(13)] public long? Cell { get; init; }
}

/// <summary>The outcome of a recruiter write: the document, or the reference's error message (HTTP 400).</summary>
[GenerateSerializer, Immutable, Alias("alt.w.recruiterresult")]
public sealed record class RecruiterWriteResult(
    [property: Id(0)] RecruiterRecord? Recruiter,
    [property: Id(1)] string? Error)
{
    public static RecruiterWriteResult Ok(RecruiterRecord recruiter) => new(recruiter, null);
    public static RecruiterWriteResult Fail(string error) => new(null, error);
}

/// <summary>
/// The durable source of truth of one recruiter created through the API (key: establishment_id) and of its jobs.
/// Every write is persisted, then the recruiter's active jobs are pushed to their cells (<see cref="ICellGrain.PutPosted"/>),
/// their ids to the locators and the cells to the directory, before the call returns.
/// </summary>
[Alias("alt.IRecruiterGrain")]
public interface IRecruiterGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<RecruiterRecord?> Get();

    /// <summary>Creates the recruiter (no-op answering the stored one if it exists).</summary>
    [Alias("Create")]
    Task<RecruiterRecord> Create(RecruiterRecord recruiter);

    /// <summary>Adds a job (its id is new), persists, publishes; answers the updated recruiter.</summary>
    [Alias("AddJob")]
    Task<RecruiterWriteResult> AddJob(JobRecord job);

    [Alias("PatchJob")]
    Task<RecruiterWriteResult> PatchJob(string jobId, JobPatch patch);

    /// <summary>
    /// Replaces a job whole (v3 <c>PUT</c> and upserts): its id, creation date and prolongations are kept. Answers the
    /// recruiter, and whether anything changed (nothing is written when nothing did).
    /// </summary>
    [Alias("ReplaceJob")]
    Task<(RecruiterWriteResult Result, bool Changed)> ReplaceJob(JobRecord job);

    /// <summary>Provided / canceled / extend with the reference's checks and messages.</summary>
    [Alias("Apply")]
    Task<RecruiterWriteResult> Apply(string jobId, JobAction action);

    /// <summary>Moves the jobs whose expiry has passed out of search; answers the next expiry (null: none).</summary>
    [Alias("ExpireDue")]
    Task<DateTimeOffset?> ExpireDue();
}

/// <summary>job id → establishment id of an offer posted through the API (key: the job id).</summary>
[Alias("alt.IJobOfferGrain")]
public interface IJobOfferGrain : IGrainWithStringKey
{
    [Alias("GetEstablishment")]
    Task<string?> GetEstablishment();

    [Alias("SetEstablishment")]
    Task SetEstablishment(string establishmentId);
}

/// <summary>
/// A SIRET registered by a partner (key: "{partner}/{siret}"): a partner registers a SIRET once.
/// </summary>
[Alias("alt.IEstablishmentKeyGrain")]
public interface IEstablishmentKeyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for <paramref name="establishmentId"/>; answers the establishment that holds it (the given one when it was free).</summary>
    [Alias("Claim")]
    Task<string> Claim(string establishmentId);

    [Alias("Get")]
    Task<string?> Get();
}

/// <summary>
/// An offer a partner posted under its own id (key: "{partner}/{partner_label}/{partner_job_id}") → the offer's job id:
/// an upsert finds the offer it posted before, and a partner id is never given to two offers.
/// </summary>
[Alias("alt.IPartnerJobKeyGrain")]
public interface IPartnerJobKeyGrain : IGrainWithStringKey
{
    /// <summary>Claims the key for <paramref name="jobId"/>; answers the job that holds it (the given one when it was free).</summary>
    [Alias("Claim")]
    Task<string> Claim(string jobId);

    [Alias("Get")]
    Task<string?> Get();
}

/// <summary>
/// The expiry schedule of posted offers, sharded by establishment (key 0..<see cref="Shards"/>-1): establishment → its
/// next expiry. The fronts ask every shard what is due and call <see cref="IRecruiterGrain.ExpireDue"/> themselves, so
/// that this grain never waits on a recruiter (which calls <see cref="Schedule"/>).
/// </summary>
[Alias("alt.IOfferExpiryGrain")]
public interface IOfferExpiryGrain : IGrainWithIntegerKey
{
    public const int Shards = 16;

    public static int ShardOf(string establishmentId) => CellKeys.ShardOf(establishmentId) % Shards;

    /// <summary>Records the next expiry of a recruiter's jobs (null: none left).</summary>
    [Alias("Schedule")]
    Task Schedule(string establishmentId, DateTimeOffset? nextExpiry);

    /// <summary>The establishments with an expiry at or before now (write clock).</summary>
    [Alias("Due"), Orleans.Concurrency.AlwaysInterleave]
    ValueTask<string[]> Due();
}

// ---------------------------------------------------------------------------------------------------------------
// Applications

/// <summary>A stored application (reference §4.5). The CV itself is never stored: only its file name.</summary>
[GenerateSerializer, Immutable, Alias("alt.w.application")]
public sealed record class ApplicationRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string ApplicantEmail { get; init; }
    [Id(2)] public string? ApplicantFirstName { get; init; }
    [Id(3)] public string? ApplicantLastName { get; init; }
    [Id(4)] public string? ApplicantPhone { get; init; }
    [Id(5)] public string? ApplicantAttachmentName { get; init; }
    [Id(6)] public string? ApplicantMessageToCompany { get; init; }
    [Id(7)] public string? CompanySiret { get; init; }
    [Id(8)] public string? CompanyEmail { get; init; }
    [Id(9)] public string? CompanyName { get; init; }
    [Id(10)] public string? CompanyNaf { get; init; }
    [Id(11)] public string? CompanyAddress { get; init; }
    /// <summary><c>offres_emploi_lba</c> or <c>recruteurs_lba</c>.</summary>
    [Id(12)] public string? JobOrigin { get; init; }
    [Id(13)] public string? JobTitle { get; init; }
    [Id(14)] public string? JobId { get; init; }
    [Id(15)] public string? Caller { get; init; }
    [Id(16)] public string? SearchedForJobLabel { get; init; }
    [Id(17)] public string? ToApplicantMessageId { get; init; }
    [Id(18)] public string? ToCompanyMessageId { get; init; }
    /// <summary><c>pending</c> (stored, not yet delivered), <c>sent</c> or <c>failed</c>.</summary>
    [Id(19)] public string Status { get; init; } = "pending";
    [Id(20)] public DateTimeOffset CreatedAt { get; init; }
    [Id(21)] public DateTimeOffset LastUpdateAt { get; init; }
}

[Alias("alt.IApplicationGrain")]
public interface IApplicationGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<ApplicationRecord?> Get();

    [Alias("Save")]
    Task Save(ApplicationRecord application);
}

/// <summary>One application as counted by the quotas.</summary>
[GenerateSerializer, Immutable, Alias("alt.w.applicationmark")]
public readonly record struct ApplicationMark(
    [property: Id(0)] string ApplicationId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] string Target,
    [property: Id(3)] string? Caller,
    [property: Id(4)] string? Siret);

/// <summary>
/// The applications of one applicant (key: lower-cased e-mail), for the per-day (&gt; 100) and per-offer (≥ 3) quotas.
/// </summary>
[Alias("alt.IApplicantGrain")]
public interface IApplicantGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records the application unless a quota refuses it; answers null when recorded, else the reference's code
    /// (<c>TOO_MANY_APPLICATIONS_PER_DAY</c>, <c>TOO_MANY_APPLICATIONS_PER_OFFER</c>).
    /// </summary>
    [Alias("TryRecord")]
    Task<string?> TryRecord(ApplicationMark mark, DateTimeOffset dayStart, DateTimeOffset dayEnd);

    [Alias("Forget")]
    Task Forget(string applicationId);

    [Alias("List")]
    Task<ApplicationMark[]> List();
}

/// <summary>The applications sent to one SIRET (key: siret), for the per-caller daily quota (≥ 20).</summary>
[Alias("alt.ISiretApplicationsGrain")]
public interface ISiretApplicationsGrain : IGrainWithStringKey
{
    /// <summary>Null when recorded, else <c>Vous avez atteint le quota maximum de candidatures pour ce SIRET</c>.</summary>
    [Alias("TryRecord")]
    Task<string?> TryRecord(ApplicationMark mark, DateTimeOffset dayStart, DateTimeOffset dayEnd);

    [Alias("Forget")]
    Task Forget(string applicationId);
}

// ---------------------------------------------------------------------------------------------------------------
// Appointment requests

[GenerateSerializer, Immutable, Alias("alt.w.mailing")]
public sealed record class MailingRecord(
    [property: Id(0)] string Campaign,
    [property: Id(1)] string MessageId,
    [property: Id(2)] DateTimeOffset SentAt);

/// <summary>An appointment request (reference §4.4 <c>appointments</c>).</summary>
[GenerateSerializer, Immutable, Alias("alt.w.appointment")]
public sealed record class AppointmentRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string ApplicantId { get; init; }
    [Id(2)] public required string ApplicantEmail { get; init; }
    [Id(3)] public string? CfaRecipientEmail { get; init; }
    [Id(4)] public string? CfaFormateurSiret { get; init; }
    [Id(5)] public string? ApplicantMessageToCfa { get; init; }
    [Id(6)] public string[] ApplicantReasons { get; init; } = [];
    [Id(7)] public string? AppointmentOrigin { get; init; }
    [Id(8)] public required string CleMinistereEducatif { get; init; }
    [Id(9)] public string? CfaIntentionToApplicant { get; init; }
    [Id(10)] public string? CfaMessageToApplicant { get; init; }
    [Id(11)] public DateTimeOffset? CfaMessageToApplicantDate { get; init; }
    [Id(12)] public MailingRecord[] ToApplicantMails { get; init; } = [];
    [Id(13)] public MailingRecord[] ToCfaMails { get; init; } = [];
    [Id(14)] public DateTimeOffset CreatedAt { get; init; }
    [Id(15)] public DateTimeOffset LastUpdateAt { get; init; }
    /// <summary>The secret the training centre's reply link carries (SHA-256 hex of the token, not the token).</summary>
    [Id(16)] public string? CfaTokenHash { get; init; }
}

[Alias("alt.IAppointmentGrain")]
public interface IAppointmentGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<AppointmentRecord?> Get();

    [Alias("Save")]
    Task Save(AppointmentRecord appointment);
}

/// <summary>A candidate of the appointment service (users with role <c>candidat</c>).</summary>
[GenerateSerializer, Immutable, Alias("alt.w.candidate")]
public sealed record class CandidateRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Email { get; init; }
    [Id(2)] public string? FirstName { get; init; }
    [Id(3)] public string? LastName { get; init; }
    [Id(4)] public string? Phone { get; init; }
    /// <summary><c>etudiant</c> or <c>parent</c>.</summary>
    [Id(5)] public string? Type { get; init; }
    [Id(6)] public string Role { get; init; } = "candidat";
    [Id(7)] public DateTimeOffset LastActionDate { get; init; }
}

/// <summary>What <see cref="ICandidateGrain.TryRequest"/> decided.</summary>
[GenerateSerializer, Immutable, Alias("alt.w.appointmentclaim")]
public sealed record class AppointmentClaim(
    [property: Id(0)] CandidateRecord Candidate,
    [property: Id(1)] DateTimeOffset? PendingSince); // null: go ahead; else the date of the request still being processed

/// <summary>
/// A candidate (key: lower-cased e-mail) and the appointments it requested, per training: the 4-day duplicate rule.
/// </summary>
[Alias("alt.ICandidateGrain")]
public interface ICandidateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates or updates the candidate; records <paramref name="appointmentId"/> for the training unless a request
    /// for it is younger than 4 days (then answers its date and records nothing).
    /// </summary>
    [Alias("TryRequest")]
    Task<AppointmentClaim> TryRequest(CandidateRecord candidate, string cleMinistereEducatif, string appointmentId);

    /// <summary>Drops a recorded request (its delivery failed).</summary>
    [Alias("Forget")]
    Task Forget(string cleMinistereEducatif, string appointmentId);

    [Alias("Get")]
    Task<CandidateRecord?> Get();

    /// <summary>The appointments recorded for this candidate, newest last.</summary>
    [Alias("Appointments")]
    Task<string[]> Appointments();
}
