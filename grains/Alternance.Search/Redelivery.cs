using System.Diagnostics;

namespace Alternance.Search;

/// <summary>
/// Calls the runtime could not deliver, sent again. When a silo is lost, calls to its grains fail with the runtime's own
/// exceptions (the message rejected because its silo is gone, a connection refused) until the membership declares it dead
/// and its grains activate elsewhere: a few seconds. Such a failure says the grain did not answer, not that it cannot, so a
/// front sends the call again, after a growing pause, within a deadline. Only for calls that may run twice: reads, and
/// writes the grain makes idempotent (an offer carries the id the API gave it).
/// </summary>
public static class Redelivery
{
    /// <summary>The runtime's failures (<see cref="OrleansException"/>), not a grain's own exceptions.</summary>
    public static bool IsUndelivered(Exception? error) => error is OrleansException;

    /// <summary>50 ms, doubling up to one second.</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(Math.Min(1000, 50 << Math.Min(attempt, 5)));

    /// <summary>Runs <paramref name="call"/>, again after each undelivered failure while <paramref name="within"/> allows.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, TimeSpan within, CancellationToken cancellationToken = default)
    {
        long started = Stopwatch.GetTimestamp();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsUndelivered(e) && Stopwatch.GetElapsedTime(started) + Pause(attempt) < within)
            {
                await Task.Delay(Pause(attempt), cancellationToken);
            }
        }
    }
}
