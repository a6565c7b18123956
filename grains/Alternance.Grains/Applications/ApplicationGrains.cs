namespace Alternance.Grains.Applications;

[GenerateSerializer, Alias("alt.w.applicationstate")]
public sealed class ApplicationState
{
    [Id(0)] public ApplicationRecord? Application { get; set; }
}

/// <summary>One application (key: its id). The attachment is never part of it.</summary>
public sealed class ApplicationGrain : Grain, IApplicationGrain
{
    private readonly IPersistentState<ApplicationState> _state;

    public ApplicationGrain([PersistentState("application", StorageNames.GrainState)] IPersistentState<ApplicationState> state)
    {
        _state = state;
    }

    public Task<ApplicationRecord?> Get() => Task.FromResult(_state.State.Application);

    public async Task Save(ApplicationRecord application)
    {
        _state.State.Application = application with { Id = this.GetPrimaryKeyString() };
        await _state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("alt.w.markstate")]
public sealed class MarksState
{
    [Id(0)] public List<ApplicationMark> Marks { get; set; } = [];
}

/// <summary>The applications of one applicant: per-day and per-offer quotas (docs/contract.md#applications).</summary>
public sealed class ApplicantGrain : Grain, IApplicantGrain
{
    /// <summary>More than this many applications in a day are refused.</summary>
    public const int MaxPerDay = 100;
    /// <summary>This many applications to one offer (or one company) and no more.</summary>
    public const int MaxPerOffer = 3;

    private readonly IPersistentState<MarksState> _state;

    public ApplicantGrain([PersistentState("applicant", StorageNames.GrainState)] IPersistentState<MarksState> state)
    {
        _state = state;
    }

    public async Task<string?> TryRecord(ApplicationMark mark, DateTimeOffset dayStart, DateTimeOffset dayEnd)
    {
        List<ApplicationMark> marks = _state.State.Marks;
        int today = marks.Count(m => m.CreatedAt >= dayStart && m.CreatedAt < dayEnd);
        // The reference counts the applications already sent today and refuses beyond 100 of them.
        if (today > MaxPerDay)
        {
            return "TOO_MANY_APPLICATIONS_PER_DAY";
        }
        if (marks.Count(m => m.Target == mark.Target) >= MaxPerOffer)
        {
            return "TOO_MANY_APPLICATIONS_PER_OFFER";
        }
        marks.Add(mark);
        // Only what a quota can still count is kept: today's marks and the per-offer history.
        await _state.WriteStateAsync();
        return null;
    }

    public async Task Forget(string applicationId)
    {
        if (_state.State.Marks.RemoveAll(m => m.ApplicationId == applicationId) > 0)
        {
            await _state.WriteStateAsync();
        }
    }

    public Task<ApplicationMark[]> List() => Task.FromResult(_state.State.Marks.ToArray());
}

/// <summary>The applications sent to one SIRET: the per-caller daily quota (docs/contract.md#applications).</summary>
public sealed class SiretApplicationsGrain : Grain, ISiretApplicationsGrain
{
    public const int MaxPerCallerPerDay = 20;
    public const string QuotaMessage = "Vous avez atteint le quota maximum de candidatures pour ce SIRET";

    private readonly IPersistentState<MarksState> _state;

    public SiretApplicationsGrain([PersistentState("siretapplications", StorageNames.GrainState)] IPersistentState<MarksState> state)
    {
        _state = state;
    }

    public async Task<string?> TryRecord(ApplicationMark mark, DateTimeOffset dayStart, DateTimeOffset dayEnd)
    {
        List<ApplicationMark> marks = _state.State.Marks;
        // Older days no longer count for anything here.
        marks.RemoveAll(m => m.CreatedAt < dayStart);
        if (mark.Caller is { } caller &&
            marks.Count(m => m.CreatedAt < dayEnd && string.Equals(m.Caller, caller, StringComparison.OrdinalIgnoreCase)) >= MaxPerCallerPerDay)
        {
            return QuotaMessage;
        }
        marks.Add(mark);
        await _state.WriteStateAsync();
        return null;
    }

    public async Task Forget(string applicationId)
    {
        if (_state.State.Marks.RemoveAll(m => m.ApplicationId == applicationId) > 0)
        {
            await _state.WriteStateAsync();
        }
    }
}
