using System.Diagnostics.CodeAnalysis;

namespace Alternance.Grains;

/// <summary>A grain state record read and written directly through <c>IGrainStorage</c> (grains with several named states).</summary>
internal sealed class StoredState<T> : IGrainState<T> where T : class, new()
{
    private T? _state;

    public StoredState(T? initial = null) => _state = initial ?? new T();

    // Providers may hand back null for a missing record; a missing record reads as an empty state.
    [AllowNull]
    public T State
    {
        get => _state ??= new T();
        set => _state = value;
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
