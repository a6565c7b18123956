using System.Diagnostics;
using System.Globalization;

namespace Alternance.Benchmarks.Peers;

/// <summary>CPU time and resident memory of a store's server processes, read from <c>/proc</c> (Linux).</summary>
internal static class ServerProcesses
{
    /// <summary>CPU seconds (user + system) of a process and its children (PostgreSQL: the postmaster and its backends).</summary>
    public static double CpuSecondsOfTree(int root)
    {
        double total = 0;
        foreach (int pid in Tree(root))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime.TotalSeconds;
            }
            catch (ArgumentException)
            {
                // exited meanwhile
            }
            catch (InvalidOperationException)
            {
            }
        }
        return total;
    }

    /// <summary>Resident bytes of a process and its children.</summary>
    public static long ResidentBytesOfTree(int root)
    {
        long total = 0;
        foreach (int pid in Tree(root))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.WorkingSet64;
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
        return total;
    }

    private static List<int> Tree(int root)
    {
        var pids = new List<int> { root };
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == root) continue;
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
                string stat = File.ReadAllText(Path.Combine(directory, "stat"));
                string[] after = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(after[1], CultureInfo.InvariantCulture) == root) pids.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }
}
