using Microsoft.Extensions.DependencyInjection;

namespace Alternance.Grains.Appointments;

[GenerateSerializer, Alias("alt.w.appointmentstate")]
public sealed class AppointmentState
{
    [Id(0)] public AppointmentRecord? Appointment { get; set; }
}

/// <summary>One appointment request (key: its id).</summary>
public sealed class AppointmentGrain : Grain, IAppointmentGrain
{
    private readonly IPersistentState<AppointmentState> _state;

    public AppointmentGrain([PersistentState("appointment", StorageNames.GrainState)] IPersistentState<AppointmentState> state)
    {
        _state = state;
    }

    public Task<AppointmentRecord?> Get() => Task.FromResult(_state.State.Appointment);

    public async Task Save(AppointmentRecord appointment)
    {
        _state.State.Appointment = appointment with { Id = this.GetPrimaryKeyString() };
        await _state.WriteStateAsync();
    }
}

[GenerateSerializer, Alias("alt.w.requestmark")]
public sealed record class RequestMark(
    [property: Id(0)] string CleMinistereEducatif,
    [property: Id(1)] string AppointmentId,
    [property: Id(2)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("alt.w.candidatestate")]
public sealed class CandidateState
{
    [Id(0)] public CandidateRecord? Candidate { get; set; }
    [Id(1)] public List<RequestMark> Requests { get; set; } = [];
}

/// <summary>A candidate and its appointment requests: one request per training within 4 days (docs/contract.md#appointments).</summary>
public sealed class CandidateGrain : Grain, ICandidateGrain
{
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromDays(4);

    private readonly TimeProvider _clock;
    private readonly IPersistentState<CandidateState> _state;

    public CandidateGrain(
        [PersistentState("candidate", StorageNames.GrainState)] IPersistentState<CandidateState> state,
        IServiceProvider services)
    {
        _state = state;
        _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;
    }

    public async Task<AppointmentClaim> TryRequest(CandidateRecord candidate, string cleMinistereEducatif, string appointmentId)
    {
        DateTimeOffset now = _clock.GetUtcNow();
        CandidateState state = _state.State;
        // Created or updated (names, phone and type follow the latest request), keeping its id.
        state.Candidate = candidate with
        {
            Id = state.Candidate?.Id ?? candidate.Id,
            Email = this.GetPrimaryKeyString(),
            LastActionDate = now,
        };
        RequestMark? pending = state.Requests
            .Where(r => r.CleMinistereEducatif == cleMinistereEducatif && r.CreatedAt >= now - DuplicateWindow)
            .OrderByDescending(r => r.CreatedAt)
            .FirstOrDefault();
        if (pending is null)
        {
            state.Requests.Add(new RequestMark(cleMinistereEducatif, appointmentId, now));
        }
        await _state.WriteStateAsync();
        return new AppointmentClaim(state.Candidate, pending?.CreatedAt);
    }

    public async Task Forget(string cleMinistereEducatif, string appointmentId)
    {
        if (_state.State.Requests.RemoveAll(r => r.AppointmentId == appointmentId && r.CleMinistereEducatif == cleMinistereEducatif) > 0)
        {
            await _state.WriteStateAsync();
        }
    }

    public Task<CandidateRecord?> Get() => Task.FromResult(_state.State.Candidate);

    public Task<string[]> Appointments() => Task.FromResult(_state.State.Requests.Select(r => r.AppointmentId).ToArray());
}
