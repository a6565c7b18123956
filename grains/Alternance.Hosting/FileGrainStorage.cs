using Orleans.Serialization;
using Orleans.Storage;

namespace Alternance.Hosting;

/// <summary>
/// Grain storage on the local disk, for the embedded default (one process, no external server). One file per
/// grain state, in Orleans' binary format; a write goes to a temporary file that is flushed to disk and then
/// renamed over the old one, so a state is either the old or the new one after a crash, and a write that
/// returned is durable.
/// </summary>
public sealed class FileGrainStorage(string root, Serializer serializer) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        if (!File.Exists(path))
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        // Streamed: a big cell's state is hundreds of MB, and one array that size is a large-object allocation.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            grainState.State = serializer.Deserialize<T>(file);
        }
        grainState.RecordExists = true;
        grainState.ETag = ETagOf(path);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + ".tmp";
        // Streamed through Orleans' pooled buffers rather than into one array the size of the state (see the read).
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            serializer.Serialize(grainState.State, file);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        grainState.ETag = ETagOf(path);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string path = PathOf(stateName, grainId);
        CheckETag(path, grainState.ETag);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static void CheckETag(string path, string? expected)
    {
        string? stored = File.Exists(path) ? ETagOf(path) : null;
        if (stored is not null && expected is not null && stored != expected)
        {
            throw new InconsistentStateException($"The state at {path} was written by someone else.", stored, expected);
        }
    }

    private static string ETagOf(string path)
    {
        var info = new FileInfo(path);
        return $"{info.LastWriteTimeUtc.Ticks:x}-{info.Length:x}";
    }

    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(root, Safe(grainId.Type.ToString()!), Safe(grainId.Key.ToString()!), Safe(stateName) + ".bin");

    private static string Safe(string name) => Uri.EscapeDataString(name);
}
