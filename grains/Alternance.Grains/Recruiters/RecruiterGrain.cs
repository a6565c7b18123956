using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Alternance.Grains.Recruiters;

[GenerateSerializer, Alias("alt.w.recruiterstate")]
public sealed class RecruiterState
{
    [Id(0)] public RecruiterRecord? Recruiter { get; set; }
    /// <summary>The cells that hold this recruiter's active jobs (as last published).</summary>
    [Id(1)] public long[] PostedCells { get; set; } = [];
    /// <summary>True from the moment a change is stored until it is published to the cells (redone on activation).</summary>
    [Id(2)] public bool Unpublished { get; set; }
    /// <summary>The next expiry last sent to the expiry schedule.</summary>
    [Id(3)] public DateTimeOffset? ScheduledExpiry { get; set; }
}

/// <summary>
/// A recruiter created through the API and its jobs (key: establishment_id), durable in grain storage. After every
/// change: the state is written, then the active jobs are pushed to their cells (each cell's posted slot, so that a
/// feed replace never drops them), the locators learn where each job is (or that it left), and the directory learns
/// the cells, so that any front finds the offer at its next directory poll. A change that could not be published
/// is published again when the grain is next activated.
/// </summary>
public sealed class RecruiterGrain : Grain, IRecruiterGrain
{
    private const string StateName = "recruiter";

    private readonly IGrainStorage _storage;
    private readonly TimeProvider _clock;
    private readonly ILogger<RecruiterGrain> _logger;
    private readonly StoredState<RecruiterState> _state = new();

    public RecruiterGrain(IServiceProvider services, ILogger<RecruiterGrain> logger)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Cells);
        _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;
        _logger = logger;
    }

    private string EstablishmentId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _storage.ReadStateAsync(StateName, this.GetGrainId(), _state);
        if (_state.State.Unpublished && _state.State.Recruiter is not null)
        {
            await RepublishAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Publishes a stored change that could not be published (a cell's silo was lost): now, then every few seconds
    /// until it is, so an offer that is stored is also searchable without waiting for another write.
    /// </summary>
    private async Task RepublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PublishAndSettle();
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Publishing recruiter {Establishment} failed; trying again in {Delay}", EstablishmentId, RepublishDelay);
            _republish ??= this.RegisterGrainTimer(async ct =>
            {
                if (!_state.State.Unpublished)
                {
                    _republish?.Dispose();
                    _republish = null;
                    return;
                }
                await RepublishAsync(ct);
            }, RepublishDelay, RepublishDelay);
        }
    }

    private static readonly TimeSpan RepublishDelay = TimeSpan.FromSeconds(2);

    private IGrainTimer? _republish;

    public Task<RecruiterRecord?> Get() => Task.FromResult(_state.State.Recruiter);

    public async Task<RecruiterRecord> Create(RecruiterRecord recruiter)
    {
        if (_state.State.Recruiter is { } existing)
        {
            return existing;
        }
        await Commit(recruiter with { EstablishmentId = EstablishmentId, Jobs = [] });
        return _state.State.Recruiter!;
    }

    public async Task<RecruiterWriteResult> AddJob(JobRecord job)
    {
        RecruiterRecord? recruiter = _state.State.Recruiter;
        if (recruiter is null)
        {
            return RecruiterWriteResult.Fail("Establishment does not exist");
        }
        if (recruiter.Jobs.Any(j => j.Id == job.Id))
        {
            // Sent again (the first answer was lost with a silo): the job is stored; make sure it is also published.
            if (_state.State.Unpublished) await PublishAndSettle();
            return RecruiterWriteResult.Ok(recruiter);
        }
        // The job id must lead to this recruiter before the job exists anywhere else.
        await GrainFactory.GetGrain<IJobOfferGrain>(job.Id).SetEstablishment(EstablishmentId);
        DateTimeOffset now = _clock.GetUtcNow();
        await Commit(recruiter with { Jobs = [.. recruiter.Jobs, job], UpdatedAt = now });
        return RecruiterWriteResult.Ok(_state.State.Recruiter!);
    }

    public async Task<RecruiterWriteResult> PatchJob(string jobId, JobPatch patch)
    {
        RecruiterRecord? recruiter = _state.State.Recruiter;
        int at = recruiter is null ? -1 : Array.FindIndex(recruiter.Jobs, j => j.Id == jobId);
        if (recruiter is null || at < 0)
        {
            return RecruiterWriteResult.Fail("Job does not exists");
        }
        DateTimeOffset now = _clock.GetUtcNow();
        JobRecord job = recruiter.Jobs[at];
        job = job with
        {
            JobLevelLabel = patch.JobLevelLabel ?? job.JobLevelLabel,
            JobDuration = patch.JobDuration ?? job.JobDuration,
            JobType = patch.JobType ?? job.JobType,
            IsDisabledElligible = patch.IsDisabledElligible ?? job.IsDisabledElligible,
            JobCount = patch.JobCount ?? job.JobCount,
            JobRythm = patch.JobRythm ?? job.JobRythm,
            JobEmployerDescription = patch.JobEmployerDescription ?? job.JobEmployerDescription,
            JobDescription = patch.JobDescription ?? job.JobDescription,
            CustomAddress = patch.CustomAddress ?? job.CustomAddress,
            CustomGeoCoordinates = patch.CustomGeoCoordinates ?? job.CustomGeoCoordinates,
            JobStartDate = patch.JobStartDate ?? job.JobStartDate,
            Latitude = patch.Latitude ?? job.Latitude,
            Longitude = patch.Longitude ?? job.Longitude,
            Cell = patch.Cell ?? job.Cell,
            UpdateDate = now,
        };
        await Commit(recruiter with { Jobs = Replace(recruiter.Jobs, at, job), UpdatedAt = now });
        return RecruiterWriteResult.Ok(_state.State.Recruiter!);
    }

    public async Task<(RecruiterWriteResult Result, bool Changed)> ReplaceJob(JobRecord job)
    {
        RecruiterRecord? recruiter = _state.State.Recruiter;
        int at = recruiter is null ? -1 : Array.FindIndex(recruiter.Jobs, j => j.Id == job.Id);
        if (recruiter is null || at < 0)
        {
            return (RecruiterWriteResult.Fail("Job does not exists"), false);
        }
        JobRecord current = recruiter.Jobs[at];
        // What the replacement cannot change: the offer's identity and history.
        JobRecord next = job with
        {
            CreationDate = current.CreationDate,
            ProlongationCount = current.ProlongationCount,
            LastProlongationDate = current.LastProlongationDate,
            UpdateDate = current.UpdateDate,
        };
        if (Same(next, current))
        {
            return (RecruiterWriteResult.Ok(recruiter), false);
        }
        DateTimeOffset now = _clock.GetUtcNow();
        await Commit(recruiter with { Jobs = Replace(recruiter.Jobs, at, next with { UpdateDate = now }), UpdatedAt = now });
        return (RecruiterWriteResult.Ok(_state.State.Recruiter!), true);
    }

    /// <summary>Records compare their arrays by reference: two jobs are the same when their fields and arrays' items are.</summary>
    private static bool Same(JobRecord a, JobRecord b) =>
        a with { RomeCodes = [], JobType = [], Partner = null } == b with { RomeCodes = [], JobType = [], Partner = null }
        && a.RomeCodes.SequenceEqual(b.RomeCodes) && a.JobType.SequenceEqual(b.JobType) && Same(a.Partner, b.Partner);

    private static bool Same(PartnerOffer? a, PartnerOffer? b) =>
        a is null || b is null ? a == b
        : a with { DesiredSkills = [], ToBeAcquiredSkills = [], AccessConditions = [] } == b with { DesiredSkills = [], ToBeAcquiredSkills = [], AccessConditions = [] }
            && a.DesiredSkills.SequenceEqual(b.DesiredSkills) && a.ToBeAcquiredSkills.SequenceEqual(b.ToBeAcquiredSkills)
            && a.AccessConditions.SequenceEqual(b.AccessConditions);

    public async Task<RecruiterWriteResult> Apply(string jobId, JobAction action)
    {
        RecruiterRecord? recruiter = _state.State.Recruiter;
        int at = recruiter is null ? -1 : Array.FindIndex(recruiter.Jobs, j => j.Id == jobId);
        if (recruiter is null || at < 0)
        {
            return RecruiterWriteResult.Fail("Job does not exists");
        }
        DateTimeOffset now = _clock.GetUtcNow();
        JobRecord job = recruiter.Jobs[at];
        switch (action)
        {
            case JobAction.Provided:
                if (job.Status == JobStatuses.Provided) return RecruiterWriteResult.Fail("Job is already provided");
                job = job with { Status = JobStatuses.Provided, UpdateDate = now };
                break;
            case JobAction.Canceled:
                if (job.Status == JobStatuses.Canceled) return RecruiterWriteResult.Fail("Job is already canceled");
                job = job with { Status = JobStatuses.Canceled, UpdateDate = now };
                break;
            case JobAction.Extend:
                DateTimeOffset extended = ParisTime.AddExpirationPeriod(now);
                if (ParisTime.DateOf(extended) == ParisTime.DateOf(job.ExpirationDate))
                {
                    return RecruiterWriteResult.Fail("Job is already extended up to a month");
                }
                if (job.Status != JobStatuses.Active)
                {
                    return RecruiterWriteResult.Fail("Job cannot be extended as it is not active");
                }
                job = job with
                {
                    ExpirationDate = extended,
                    LastProlongationDate = now,
                    ProlongationCount = job.ProlongationCount + 1,
                    UpdateDate = now,
                };
                break;
            case JobAction.AdminDelete:
                job = job with { Status = JobStatuses.Canceled, StatusComment = "Supprimée par l'administration", UpdateDate = now };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action));
        }
        await Commit(recruiter with { Jobs = Replace(recruiter.Jobs, at, job), UpdatedAt = now });
        return RecruiterWriteResult.Ok(_state.State.Recruiter!);
    }

    public async Task<DateTimeOffset?> ExpireDue()
    {
        RecruiterRecord? recruiter = _state.State.Recruiter;
        if (recruiter is null)
        {
            await Schedule(null);
            return null;
        }
        DateTimeOffset now = _clock.GetUtcNow();
        bool changed = false;
        var jobs = new JobRecord[recruiter.Jobs.Length];
        for (int i = 0; i < jobs.Length; i++)
        {
            JobRecord job = recruiter.Jobs[i];
            if (job.Status == JobStatuses.Active && job.ExpirationDate <= now)
            {
                job = job with { Status = JobStatuses.Canceled, StatusComment = "Offre expirée", UpdateDate = now };
                changed = true;
            }
            jobs[i] = job;
        }
        if (changed)
        {
            await Commit(recruiter with { Jobs = jobs, UpdatedAt = now });
        }
        else
        {
            await Schedule(NextExpiry(recruiter));
        }
        return NextExpiry(_state.State.Recruiter!);
    }

    /// <summary>Stores the new document, then publishes it and updates the expiry schedule.</summary>
    private async Task Commit(RecruiterRecord recruiter)
    {
        _state.State.Recruiter = recruiter;
        _state.State.Unpublished = true;
        await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
        try
        {
            await PublishAndSettle();
        }
        catch (Exception)
        {
            // Stored, not yet searchable: the caller hears of the failure, and the grain publishes it as soon as it can.
            await RepublishAsync(CancellationToken.None);
            if (_state.State.Unpublished) throw;
        }
    }

    private async Task PublishAndSettle()
    {
        RecruiterRecord recruiter = _state.State.Recruiter!;
        await Publish(recruiter);
        await Schedule(NextExpiry(recruiter));
        _state.State.Unpublished = false;
        await _storage.WriteStateAsync(StateName, this.GetGrainId(), _state);
    }

    private async Task Publish(RecruiterRecord recruiter)
    {
        RecruiterInfo info = ToInfo(recruiter);
        // One version per publication: every job carries the recruiter, so any change re-renders them all.
        long version = ItemVersions.New();
        var byCell = new Dictionary<long, List<MatchaItem>>();
        foreach (JobRecord job in recruiter.Jobs)
        {
            if (job.Status != JobStatuses.Active || recruiter.Status != "Actif") continue;
            if (!byCell.TryGetValue(job.Cell, out List<MatchaItem>? items)) byCell[job.Cell] = items = [];
            items.Add(ToItem(info, job, version));
        }
        long[] cells = [.. byCell.Keys];
        if (cells.Length > 0)
        {
            await GrainFactory.GetGrain<ICellDirectoryGrain>(0).AddLiveCells(cells);
        }
        var puts = new List<Task>();
        foreach (long cell in _state.State.PostedCells.Union(cells))
        {
            MatchaItem[] items = byCell.TryGetValue(cell, out List<MatchaItem>? list) ? [.. list] : [];
            puts.Add(GrainFactory.GetGrain<ICellGrain>(cell).PutPosted(EstablishmentId, items));
        }
        foreach (IGrouping<int, JobRecord> shard in recruiter.Jobs.GroupBy(j => CellKeys.ShardOf(j.Id)))
        {
            string[] ids = shard.Select(j => j.Id).ToArray();
            long[] located = shard.Select(j => byCell.ContainsKey(j.Cell) && j.Status == JobStatuses.Active && recruiter.Status == "Actif" ? j.Cell : 0L).ToArray();
            puts.Add(GrainFactory.GetGrain<IItemLocatorGrain>(CellKeys.LocatorKey(Source.Matcha, shard.Key)).SetPosted(ids, located));
        }
        await Task.WhenAll(puts);
        _state.State.PostedCells = cells;
    }

    private async Task Schedule(DateTimeOffset? next)
    {
        if (next == _state.State.ScheduledExpiry)
        {
            return;
        }
        await GrainFactory.GetGrain<IOfferExpiryGrain>(IOfferExpiryGrain.ShardOf(EstablishmentId)).Schedule(EstablishmentId, next);
        _state.State.ScheduledExpiry = next;
    }

    private static DateTimeOffset? NextExpiry(RecruiterRecord recruiter)
    {
        DateTimeOffset? next = null;
        foreach (JobRecord job in recruiter.Jobs)
        {
            if (job.Status == JobStatuses.Active && (next is null || job.ExpirationDate < next))
            {
                next = job.ExpirationDate;
            }
        }
        return next;
    }

    private static JobRecord[] Replace(JobRecord[] jobs, int at, JobRecord job)
    {
        var copy = (JobRecord[])jobs.Clone();
        copy[at] = job;
        return copy;
    }

    internal static RecruiterInfo ToInfo(RecruiterRecord r) => new()
    {
        EstablishmentId = r.EstablishmentId,
        Siret = r.Siret,
        RaisonSociale = r.RaisonSociale,
        Enseigne = r.Enseigne,
        Address = r.Address,
        City = r.City,
        Latitude = r.Latitude,
        Longitude = r.Longitude,
        FirstName = r.FirstName,
        LastName = r.LastName,
        Phone = r.Phone,
        Email = r.Email,
        Opco = r.Opco,
        OpcoUrl = r.OpcoUrl,
        Idcc = r.Idcc,
        NafCode = r.NafCode,
        NafLabel = r.NafLabel,
        EstablishmentSize = r.EstablishmentSize,
        EstablishmentCreationDate = r.EstablishmentCreationDate,
        Status = r.Status,
        Origin = r.Origin,
        ZipCode = r.ZipCode,
    };

    internal static MatchaItem ToItem(RecruiterInfo recruiter, JobRecord job, long version) => new()
    {
        Id = job.Id,
        Version = version,
        Latitude = job.Latitude,
        Longitude = job.Longitude,
        RomeCodes = job.RomeCodes,
        Recruiter = recruiter,
        RomeLabel = job.RomeLabel,
        RomeAppellationLabel = job.RomeAppellationLabel,
        JobLevelLabel = job.JobLevelLabel,
        JobStartDate = job.Partner is { } partner ? partner.ContractStart : Iso(job.JobStartDate),
        JobDescription = job.JobDescription,
        JobEmployerDescription = job.JobEmployerDescription,
        JobCreationDate = Iso(job.CreationDate),
        JobExpirationDate = Iso(job.ExpirationDate),
        JobUpdateDate = job.UpdateDate is { } u ? Iso(u) : null,
        JobStatus = job.Status,
        JobType = job.JobType,
        IsMultiPublished = job.IsMultiPublished,
        IsDisabledElligible = job.IsDisabledElligible,
        JobCount = job.JobCount,
        JobDuration = job.JobDuration,
        JobRythm = job.JobRythm,
        CustomAddress = job.CustomAddress,
        CustomJobTitle = job.CustomJobTitle,
        JobProlongationCount = job.ProlongationCount,
        PostedThroughApi = true,
        Partner = job.Partner,
    };

    private static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The job statuses of the reference.</summary>
public static class JobStatuses
{
    public const string Active = "Active";
    public const string Provided = "Pourvue";
    public const string Canceled = "Annulée";
    public const string Pending = "En attente";
}
