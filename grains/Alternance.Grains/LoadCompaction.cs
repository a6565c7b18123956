using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alternance.Grains;

/// <summary>Configuration section <c>Cluster:LoadCompaction</c>.</summary>
public sealed class LoadCompactionOptions
{
    public const string Section = "Cluster:LoadCompaction";

    /// <summary>Whether a silo returns a load's peak to the system once its loads have gone quiet.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long after the last cell loaded (sealed an import, or read its items back from storage).</summary>
    public double QuietSeconds { get; set; } = 10;

    /// <summary>Items loaded since the last compaction under which it is not worth its pause.</summary>
    public int MinimumItems { get; set; } = 50_000;
}

/// <summary>
/// Loading cells leaves a silo's heap at its peak (storage buffers, the index builds' scratch, the items as read or
/// staged): one blocking, compacting collection gives what is free back to the system, so that the silo serves at its
/// working size. The embedded default runs it before its first search (<see cref="CompactNow"/>, when its bundled
/// dataset is loaded); a silo apart has no such moment, so cells tell it what they loaded and it compacts once loads
/// have been quiet for <see cref="LoadCompactionOptions.QuietSeconds"/> (a pause of about a second per million items
/// held, once per load).
/// </summary>
public sealed class LoadCompaction : IDisposable
{
    public const string MeterName = "Alternance.Silo";

    private readonly LoadCompactionOptions _options;
    private readonly ILogger<LoadCompaction> _logger;
    private readonly ITimer _timer;
    private readonly Counter<long> _compactions;
    private readonly Lock _gate = new();
    private long _pending;

    public LoadCompaction(IOptions<LoadCompactionOptions> options, ILogger<LoadCompaction> logger, IMeterFactory meters, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        _timer = (time ?? TimeProvider.System).CreateTimer(static self => ((LoadCompaction)self!).Quiet(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Meter meter = meters.Create(MeterName);
        _compactions = meter.CreateCounter<long>("alternance.load.compactions", "{collection}",
            "Compacting collections run after cells loaded (a load's peak returned to the system)");
        _compactions.Add(0);
    }

    /// <summary>A cell loaded <paramref name="items"/> items (sealed an import or read them back): compact once loads are quiet.</summary>
    public void Loaded(int items)
    {
        if (!_options.Enabled || items <= 0) return;
        Interlocked.Add(ref _pending, items);
        _timer.Change(TimeSpan.FromSeconds(_options.QuietSeconds), Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Compacts now if cells loaded at least <see cref="LoadCompactionOptions.MinimumItems"/> items since the last
    /// compaction (a node has just warmed them: nothing is served yet); returns once none is pending or running. The
    /// calls of every cell of the silo compact once: the first compacts, the others wait for it and find nothing pending.
    /// </summary>
    public void Settle()
    {
        if (!_options.Enabled) return;
        lock (_gate)
        {
            long items = Interlocked.Read(ref _pending);
            if (items >= _options.MinimumItems) CompactNow($"Cells warmed after {items:N0} items");
        }
    }

    /// <summary>Compacts now (a load just ended and nothing is served yet); what cells loaded before is accounted for.</summary>
    public void CompactNow(string reason)
    {
        // The gate is reentrant: Settle holds it while it calls this.
        lock (_gate)
        {
            Interlocked.Exchange(ref _pending, 0);
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            long before = Environment.WorkingSet;
            var clock = Stopwatch.StartNew();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _compactions.Add(1);
            _logger.LogInformation("{Reason}: {Released:N0} MiB returned to the system ({Resident:N0} MiB resident, {Elapsed:0.0} s)",
                reason, (before - Environment.WorkingSet) / 1048576.0, Environment.WorkingSet / 1048576.0, clock.Elapsed.TotalSeconds);
        }
    }

    private void Quiet()
    {
        long items = Interlocked.Read(ref _pending);
        if (items < _options.MinimumItems) return;
        CompactNow($"Loads quiet for {_options.QuietSeconds:0} s after {items:N0} items");
    }

    public void Dispose() => _timer.Dispose();
}
