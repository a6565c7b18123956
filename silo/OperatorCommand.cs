using System.CommandLine;

namespace Alternance.Silo;

/// <summary>
/// What the operator commands share: the <c>--timeout</c> option, configuration overrides on the command line, and
/// one line on stderr instead of a stack trace when the cluster cannot be reached, the command is interrupted or the
/// cluster refuses the work.
/// </summary>
public static class OperatorCommand
{
    /// <summary>Exit codes: 0 done, 1 done with rejected items or not found, 2 bad arguments, 3 no cluster, 4 failed, 130 interrupted.</summary>
    public const int BadArguments = 2, NoCluster = 3, Failed = 4, Interrupted = 130;

    public const string ExitCodes = "Exit codes: 0 done, 1 rejected items or not found, 2 bad arguments, 3 no cluster answered, 4 failed, 130 interrupted.";

    public static Option<double?> TimeoutOption() => new("--timeout")
    {
        Description = "Seconds to wait for a cluster gateway before giving up (default: Cli:ConnectTimeout, 10 s).",
    };

    /// <summary>Tokens the parser did not match: configuration overrides such as <c>--Cluster:GatewayPort=30001</c>, like <c>run</c> takes.</summary>
    public static bool TryGetOverrides(ParseResult result, out IReadOnlyList<string> overrides)
    {
        overrides = result.UnmatchedTokens;
        foreach (string token in result.UnmatchedTokens)
        {
            // A value after "--Section:Key" is fine; anything else is a typo that would be silently ignored.
            if (token.StartsWith("--", StringComparison.Ordinal) && !token.Contains(':'))
            {
                Console.Error.WriteLine($"error: unknown option {token} (configuration overrides look like --Cluster:GatewayPort=30001)");
                return false;
            }
        }
        return true;
    }

    public static TimeSpan? Timeout(ParseResult result, Option<double?> option) =>
        result.GetValue(option) is double seconds ? TimeSpan.FromSeconds(seconds) : null;

    /// <summary>Runs a command's body; what goes wrong becomes one line and an exit code.</summary>
    public static async Task<int> RunAsync(string name, Func<Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body();
        }
        catch (ClusterUnreachableException e)
        {
            Console.Error.WriteLine(e.Message);
            return NoCluster;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"{name} interrupted.");
            return Interrupted;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {name} failed: {FirstLine(e.GetBaseException().Message)}");
            return Failed;
        }
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
