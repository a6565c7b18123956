using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Alternance.Grains.Recruiters;

[GenerateSerializer, Alias("alt.w.keystate")]
public sealed class KeyState
{
    [Id(0)] public string? Value { get; set; }
}

/// <summary>job id → establishment id of an offer posted through the API.</summary>
public sealed class JobOfferGrain : Grain, IJobOfferGrain
{
    private readonly IGrainStorage _storage;
    private readonly StoredState<KeyState> _state = new();

    public JobOfferGrain(IServiceProvider services)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Cells);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        _storage.ReadStateAsync("joboffer", this.GetGrainId(), _state);

    public Task<string?> GetEstablishment() => Task.FromResult(_state.State.Value);

    public async Task SetEstablishment(string establishmentId)
    {
        if (_state.State.Value == establishmentId) return;
        _state.State.Value = establishmentId;
        await _storage.WriteStateAsync("joboffer", this.GetGrainId(), _state);
    }
}

/// <summary>"{partner}/{siret}" → the establishment that partner registered for that SIRET.</summary>
public sealed class EstablishmentKeyGrain : Grain, IEstablishmentKeyGrain
{
    private readonly IGrainStorage _storage;
    private readonly StoredState<KeyState> _state = new();

    public EstablishmentKeyGrain(IServiceProvider services)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Cells);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        _storage.ReadStateAsync("establishmentkey", this.GetGrainId(), _state);

    public async Task<string> Claim(string establishmentId)
    {
        if (_state.State.Value is { } holder)
        {
            return holder;
        }
        _state.State.Value = establishmentId;
        await _storage.WriteStateAsync("establishmentkey", this.GetGrainId(), _state);
        return establishmentId;
    }

    public Task<string?> Get() => Task.FromResult(_state.State.Value);
}

[GenerateSerializer, Alias("alt.w.expirystate")]
public sealed class ExpiryState
{
    [Id(0)] public Dictionary<string, DateTimeOffset> Next { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One shard of the expiry schedule of posted offers.</summary>
public sealed class OfferExpiryGrain : Grain, IOfferExpiryGrain
{
    private readonly IGrainStorage _storage;
    private readonly TimeProvider _clock;
    private readonly StoredState<ExpiryState> _state = new();
    private DateTimeOffset _earliest = DateTimeOffset.MaxValue;

    public OfferExpiryGrain(IServiceProvider services)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Cells);
        _clock = services.GetKeyedService<TimeProvider>(WriteClock.Key) ?? TimeProvider.System;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _storage.ReadStateAsync("expiry", this.GetGrainId(), _state);
        Recompute();
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
        await _storage.WriteStateAsync("expiry", this.GetGrainId(), _state);
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
