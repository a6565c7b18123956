using System.CommandLine;
using Alternance.Silo;

var run = new Command("run", "Run a silo (the default when no command is given).");
run.SetAction((result, ct) => SiloHost.RunAsync(result.UnmatchedTokens.ToArray(), ct));
run.TreatUnmatchedTokensAsErrors = false;

var root = new RootCommand("Alternance Cluster silo and operator tools.")
{
    run,
    ImportCommand.Create(),
    DeleteCommand.Create(),
    GenerateCommand.Create(),
};
root.TreatUnmatchedTokensAsErrors = false;
root.SetAction((result, ct) => SiloHost.RunAsync(args, ct));
return await root.Parse(args).InvokeAsync();
