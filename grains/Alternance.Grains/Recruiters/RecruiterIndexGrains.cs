using Microsoft.Extensions.DependencyInjection;

namespace Alternance.Grains.Recruiters;

[GenerateSerializer, Alias("alt.w.keystate")]
public sealed class KeyState
{
    [Id(0)] public string? Value { get; set; }
}

/// <summary>job id → establishment id of an offer posted through the API.</summary>
public sealed class JobOfferGrain : Grain, IJobOfferGrain
{
    private readonly IPersistentState<KeyState> _state;

    public JobOfferGrain([PersistentState("joboffer", StorageNames.Cells)] IPersistentState<KeyState> state)
    {
        _state = state;
    }

    public Task<string?> GetEstablishment() => Task.FromResult(_state.State.Value);

    public async Task SetEstablishment(string establishmentId)
    {
        if (_state.State.Value == establishmentId) return;
        _state.State.Value = establishmentId;
        await _state.WriteStateAsync();
    }
}

/// <summary>A key held by the first value that claims it, durably: later claims answer the holder.</summary>
public abstract class KeyClaimGrain(IPersistentState<KeyState> state) : Grain
{
    public async Task<string> Claim(string value)
    {
        if (state.State.Value is { } holder)
        {
            return holder;
        }
        state.State.Value = value;
        await state.WriteStateAsync();
        return value;
    }

    public Task<string?> Get() => Task.FromResult(state.State.Value);
}

/// <summary>"{partner}/{siret}" → the establishment that partner registered for that SIRET.</summary>
public sealed class EstablishmentKeyGrain([PersistentState("establishmentkey", StorageNames.Cells)] IPersistentState<KeyState> state)
    : KeyClaimGrain(state), IEstablishmentKeyGrain;

/// <summary>"{partner}/{partner_label}/{partner_job_id}" → the job id of the offer posted under that partner id.</summary>
public sealed class PartnerJobKeyGrain([PersistentState("partnerjobkey", StorageNames.Cells)] IPersistentState<KeyState> state)
    : KeyClaimGrain(state), IPartnerJobKeyGrain;

[GenerateSerializer, Alias("alt.w.expirystate")]
public sealed class ExpiryState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Next { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One shard of the expiry schedule of posted offers.</summary>
public sealed class OfferExpiryGrain : Grain, IOfferExpiryGrain
{
    private readonly TimeProvider _clock;
    private readonly IPersistentState<ExpiryState> _state;
    private DateTimeOffset _earliest = DateTimeOffset.MaxValue;

    public OfferExpiryGrain(
        [PersistentState("expiry", StorageNames.Cells)] IPersistentState<ExpiryState> state,
        IServiceProvider services)
    {
        _state = state;
        _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;
    }

    // The state is read before activation.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Recompute();
        return Task.CompletedTask;
    }

    public async Task Schedule(string establishmentId, DateTimeOffset? nextExpiry)
    {
        Dictionary<string, DateTimeOffset> next = _state.State.Next;
        if (nextExpiry is { } at)
        {
            if (next.TryGetValue(establishmentId, out DateTimeOffset known) && known == at) return;
            next[establishmentId] = at;
        }
        else if (!next.Remove(establishmentId))
        {
            return;
        }
        await _state.WriteStateAsync();
        Recompute();
    }

    public ValueTask<string[]> Due()
    {
        DateTimeOffset now = _clock.GetUtcNow();
        if (now < _earliest)
        {
            return ValueTask.FromResult<string[]>([]);
        }
        var due = new List<string>();
        foreach (var (establishment, at) in _state.State.Next)
        {
            if (at <= now) due.Add(establishment);
        }
        return ValueTask.FromResult(due.ToArray());
    }

    private void Recompute()
    {
        _earliest = DateTimeOffset.MaxValue;
        foreach (DateTimeOffset at in _state.State.Next.Values)
        {
            if (at < _earliest) _earliest = at;
        }
    }
}
