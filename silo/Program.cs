using System.CommandLine;
using Alternance.Silo;

var run = new Command("run", "Run a silo (the default when no command is given). Configuration overrides such as --Cluster:SiloPort=11112 and --urls are passed to the host.");
run.SetAction((result, ct) => SiloHost.RunAsync(result.UnmatchedTokens.ToArray(), ct));
run.TreatUnmatchedTokensAsErrors = false;

var root = new RootCommand("Alternance Cluster silo and operator tools. The operator commands read the silo's configuration (appsettings.json, environment, --Section:Key=value overrides) to find the cluster.")
{
    run,
    ImportCommand.Create(),
    DeleteCommand.Create(),
    GenerateCommand.Create(),
};
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction((result, ct) => SiloHost.RunAsync(args, ct));

ParseResult parsed = root.Parse(args);
// A silo stops through its host on SIGTERM/Ctrl+C, within the host's shutdown timeout; System.CommandLine's own
// handler would force the exit (code 143) two seconds after the signal, while the silo may still be handing its
// grains over. The operator commands take the signal as their cancellation token and report it.
bool runsSilo = parsed.CommandResult.Command == run || parsed.CommandResult.Command == root;
return await parsed.InvokeAsync(new InvocationConfiguration
{
    ProcessTerminationTimeout = runsSilo ? null : TimeSpan.FromSeconds(5),
});
