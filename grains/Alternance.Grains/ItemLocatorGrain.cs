using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Alternance.Grains;

[GenerateSerializer, Alias("alt.locatorslotstate")]
public sealed class LocatorSlotState
{
    [Id(0)] public long Generation { get; set; }
    [Id(1)] public Dictionary<string, long> Cells { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>id → cell for one shard of one source, with the same two generation slots as the cells.</summary>
public sealed class ItemLocatorGrain : Grain, IItemLocatorGrain
{
    private readonly IGrainStorage _storage;
    private readonly StoredState<LocatorSlotState>[] _slots = [new(), new()];
    private readonly StoredState<LocatorSlotState> _posted = new();
    private long _stagingGeneration;
    private Dictionary<string, long>? _staging;

    public ItemLocatorGrain(IServiceProvider services)
    {
        _storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.GrainState);
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(
            _storage.ReadStateAsync("locator-0", this.GetGrainId(), _slots[0]),
            _storage.ReadStateAsync("locator-1", this.GetGrainId(), _slots[1]),
            _storage.ReadStateAsync("locator-posted", this.GetGrainId(), _posted));
    }

    public Task Stage(long generation, string[] ids, long[] cells)
    {
        if (_staging is null || _stagingGeneration != generation)
        {
            _staging = new Dictionary<string, long>(StringComparer.Ordinal);
            _stagingGeneration = generation;
        }
        for (int i = 0; i < ids.Length; i++)
        {
            _staging[ids[i]] = cells[i];
        }
        return Task.CompletedTask;
    }

    public async Task Seal(long generation)
    {
        var cells = _staging is not null && _stagingGeneration == generation
            ? _staging
            : new Dictionary<string, long>(StringComparer.Ordinal);
        var slot = _slots[generation & 1];
        slot.State = new LocatorSlotState { Generation = generation, Cells = cells };
        await _storage.WriteStateAsync($"locator-{generation & 1}", this.GetGrainId(), slot);
        _staging = null;
    }

    public ValueTask<long[]> Locate(long generation, string[] ids)
    {
        var result = new long[ids.Length];
        LocatorSlotState state = _slots[generation & 1].State;
        bool current = state.Generation == generation;
        for (int i = 0; i < ids.Length; i++)
        {
            if (!current || !state.Cells.TryGetValue(ids[i], out result[i]))
            {
                result[i] = _posted.State.Cells.GetValueOrDefault(ids[i]);
            }
        }
        return ValueTask.FromResult(result);
    }

    public async Task Set(long generation, string[] ids, long[] cells)
    {
        var slot = _slots[generation & 1];
        if (slot.State.Generation != generation)
        {
            slot.State = new LocatorSlotState { Generation = generation };
        }
        for (int i = 0; i < ids.Length; i++)
        {
            if (cells[i] == 0) slot.State.Cells.Remove(ids[i]);
            else slot.State.Cells[ids[i]] = cells[i];
        }
        await _storage.WriteStateAsync($"locator-{generation & 1}", this.GetGrainId(), slot);
    }

    public async Task SetPosted(string[] ids, long[] cells)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            if (cells[i] == 0) _posted.State.Cells.Remove(ids[i]);
            else _posted.State.Cells[ids[i]] = cells[i];
        }
        await _storage.WriteStateAsync("locator-posted", this.GetGrainId(), _posted);
    }
}
