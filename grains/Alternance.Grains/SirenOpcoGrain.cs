namespace Alternance.Grains;

[GenerateSerializer, Alias("alt.sirenopcostate")]
public sealed class SirenOpcoState
{
    [Id(0)] public SirenOpcoTable? Table { get; set; }
}

/// <summary>The SIREN → OPCO table of one generation of the companies feed, in grain storage.</summary>
public sealed class SirenOpcoGrain([PersistentState("sirenopcos", StorageNames.Cells)] IPersistentState<SirenOpcoState> state)
    : Grain, ISirenOpcoGrain
{
    public async Task Set(SirenOpcoTable table)
    {
        state.State.Table = table;
        await state.WriteStateAsync();
    }

    public async Task Merge(SirenOpcoTable table)
    {
        state.State.Table = state.State.Table is { } current ? current.With(table) : table;
        await state.WriteStateAsync();
    }

    public Task<SirenOpcoTable?> Get() => Task.FromResult(state.State.Table);
}
