using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alternance.Search;

public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>How often a front asks the directory whether a feed was swapped or a cell was added.</summary>
    public TimeSpan DirectoryPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a search waits for its cells before answering without them (per-source error).</summary>
    public TimeSpan CellTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// This front's copy of the directory: the generation of each feed to read and the cells that hold items.
/// Refreshed by polling (a version check, one grain call) so a swap or a new cell reaches every front within
/// <see cref="SearchOptions.DirectoryPollInterval"/>; a front that wrote something refreshes at once.
/// </summary>
public sealed class DirectoryCache(IGrainFactory grains)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile DirectorySnapshot? _current;

    public DirectorySnapshot? Current => _current;

    public async ValueTask<DirectorySnapshot> GetAsync()
    {
        return _current ?? await RefreshAsync();
    }

    public async Task<DirectorySnapshot> RefreshAsync()
    {
        await _refresh.WaitAsync();
        try
        {
            DirectorySnapshot? known = _current;
            DirectorySnapshot? newer = await grains.GetGrain<ICellDirectoryGrain>(0).GetIfNewer(known?.Version ?? 0);
            if (newer is not null && (known is null || newer.Version >= known.Version))
            {
                _current = newer;
            }
            return _current!;
        }
        finally
        {
            _refresh.Release();
        }
    }
}

/// <summary>Keeps the <see cref="DirectoryCache"/> fresh while the host runs.</summary>
public sealed class DirectoryPoller(DirectoryCache cache, IOptions<SearchOptions> options, ILogger<DirectoryPoller> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DirectoryPollInterval);
        try
        {
            do
            {
                try
                {
                    await cache.RefreshAsync();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The cluster may still be starting or a silo may be moving the directory: try again next tick.
                    logger.LogDebug(e, "Directory poll failed");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
